//! The life of a question, as one table of who may do what in which state. The server
//! checks every change against it; the interface uses it to show only possible actions.
//!
//! Solicited (a policy maker asks): draft → submitted → accepted (or returned → submitted
//! again) → collecting input → advice drafted → advice sent → closed.
//! Unsolicited (the panel raises it): proposed → assigned (to a policy maker) →
//! accepted (the policy maker acknowledges) → the same path.

use crate::domain::Role;
use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum State {
    Draft,
    Submitted,
    Returned,
    Proposed,
    Assigned,
    Accepted,
    CollectingInput,
    AdviceDrafted,
    AdviceSent,
    Closed,
}

impl State {
    pub const ALL: [State; 10] = [
        State::Draft,
        State::Submitted,
        State::Returned,
        State::Proposed,
        State::Assigned,
        State::Accepted,
        State::CollectingInput,
        State::AdviceDrafted,
        State::AdviceSent,
        State::Closed,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            State::Draft => "draft",
            State::Submitted => "submitted",
            State::Returned => "returned",
            State::Proposed => "proposed",
            State::Assigned => "assigned",
            State::Accepted => "accepted",
            State::CollectingInput => "collecting_input",
            State::AdviceDrafted => "advice_drafted",
            State::AdviceSent => "advice_sent",
            State::Closed => "closed",
        }
    }

    pub fn from_db(value: &str) -> Option<Self> {
        State::ALL.into_iter().find(|s| s.as_str() == value)
    }

    /// Whether panel members see the question: the panel's own subjects, and every
    /// question from acceptance on (drafts and submitted questions are the policy maker's
    /// business until the coordinator accepts them).
    pub fn visible_to_members(self) -> bool {
        !matches!(self, State::Draft | State::Submitted | State::Returned)
    }

    /// Accepted or further along: the question is the panel's to work on, so a meeting's
    /// agenda may be about it (and show its title and background to members and guests).
    pub fn accepted_or_later(self) -> bool {
        matches!(
            self,
            State::Accepted
                | State::CollectingInput
                | State::AdviceDrafted
                | State::AdviceSent
                | State::Closed
        )
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum Action {
    /// Change title, background, questions, dates, theme, municipalities.
    Edit,
    Submit,
    Accept,
    /// Back to the policy maker, with a reason.
    Return,
    /// Unsolicited: the coordinator names the responsible policy maker.
    Assign,
    /// Unsolicited: that policy maker takes it on.
    Acknowledge,
    OpenInput,
    GiveInput,
    /// A coordinator records input for the group (from a meeting, say).
    RecordInput,
    Endorse,
    /// Input closes and the coordinator writes the advice.
    DraftAdvice,
    /// Members agree or comment per recommendation.
    ReviewAdvice,
    ReopenInput,
    SendAdvice,
    /// Needs published feedback (checked by the caller).
    Close,
}

impl Action {
    pub const ALL: [Action; 15] = [
        Action::Edit,
        Action::Submit,
        Action::Accept,
        Action::Return,
        Action::Assign,
        Action::Acknowledge,
        Action::OpenInput,
        Action::GiveInput,
        Action::RecordInput,
        Action::Endorse,
        Action::DraftAdvice,
        Action::ReviewAdvice,
        Action::ReopenInput,
        Action::SendAdvice,
        Action::Close,
    ];
}

/// Who acts: their role, and whether the question is theirs (its owner: the policy maker
/// who asked it or was assigned it; for an unsolicited proposal, the member who raised it).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Actor {
    pub role: Role,
    pub is_owner: bool,
}

/// Why an action is refused.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum Refusal {
    /// Not this person's to do.
    NotAllowed,
    /// Not now: the question is in another state.
    WrongState,
}

/// The state after `action`, or why it may not happen. Actions that change no state
/// (edit, input, endorse, review) return the same state.
pub fn next(state: State, action: Action, actor: Actor) -> Result<State, Refusal> {
    use Action as A;
    use Role::{Coordinator as C, Member as M, PolicyMaker as P};
    use State as S;
    let owner = actor.is_owner;
    let role = actor.role;
    // Who may do it at all, in any state.
    let may = match action {
        A::Edit => role == C || (owner && (role == P || role == M)),
        A::Submit => role == P && owner,
        A::Accept
        | A::Return
        | A::Assign
        | A::OpenInput
        | A::RecordInput
        | A::DraftAdvice
        | A::ReopenInput
        | A::SendAdvice
        | A::Close => role == C,
        A::Acknowledge => role == P && owner,
        A::GiveInput | A::Endorse | A::ReviewAdvice => role == M,
    };
    if !may {
        return Err(Refusal::NotAllowed);
    }
    let to = match (action, state) {
        (A::Edit, S::Draft | S::Returned) if role == P => state,
        (A::Edit, S::Proposed) if role == M || role == C => state,
        (A::Edit, S::Submitted | S::Accepted) if role == C => state,
        (A::Submit, S::Draft | S::Returned) => S::Submitted,
        (A::Accept, S::Submitted) => S::Accepted,
        (A::Return, S::Submitted) => S::Returned,
        (A::Assign, S::Proposed | S::Assigned) => S::Assigned,
        (A::Acknowledge, S::Assigned) => S::Accepted,
        (A::OpenInput, S::Accepted) => S::CollectingInput,
        (A::GiveInput | A::RecordInput | A::Endorse, S::CollectingInput) => state,
        (A::DraftAdvice, S::CollectingInput) => S::AdviceDrafted,
        (A::ReviewAdvice, S::AdviceDrafted) => state,
        (A::ReopenInput, S::AdviceDrafted) => S::CollectingInput,
        (A::SendAdvice, S::AdviceDrafted) => S::AdviceSent,
        (A::Close, S::AdviceSent) => S::Closed,
        _ => return Err(Refusal::WrongState),
    };
    Ok(to)
}

#[cfg(test)]
mod tests {
    use super::*;
    use Action as A;
    use Role::{Coordinator as C, Member as M, PolicyMaker as P};
    use State as S;

    /// The specification: every allowed (state, action, role, owner) and where it leads.
    /// Everything not listed must be refused.
    fn allowed() -> Vec<(S, A, Role, bool, S)> {
        let mut list = vec![
            (S::Draft, A::Edit, P, true, S::Draft),
            (S::Returned, A::Edit, P, true, S::Returned),
            (S::Draft, A::Submit, P, true, S::Submitted),
            (S::Returned, A::Submit, P, true, S::Submitted),
            (S::Proposed, A::Edit, M, true, S::Proposed),
            (S::Assigned, A::Acknowledge, P, true, S::Accepted),
        ];
        // Coordinators, owner or not.
        for owner in [false, true] {
            list.extend([
                (S::Proposed, A::Edit, C, owner, S::Proposed),
                (S::Submitted, A::Edit, C, owner, S::Submitted),
                (S::Accepted, A::Edit, C, owner, S::Accepted),
                (S::Submitted, A::Accept, C, owner, S::Accepted),
                (S::Submitted, A::Return, C, owner, S::Returned),
                (S::Proposed, A::Assign, C, owner, S::Assigned),
                (S::Assigned, A::Assign, C, owner, S::Assigned),
                (S::Accepted, A::OpenInput, C, owner, S::CollectingInput),
                (
                    S::CollectingInput,
                    A::RecordInput,
                    C,
                    owner,
                    S::CollectingInput,
                ),
                (
                    S::CollectingInput,
                    A::DraftAdvice,
                    C,
                    owner,
                    S::AdviceDrafted,
                ),
                (
                    S::AdviceDrafted,
                    A::ReopenInput,
                    C,
                    owner,
                    S::CollectingInput,
                ),
                (S::AdviceDrafted, A::SendAdvice, C, owner, S::AdviceSent),
                (S::AdviceSent, A::Close, C, owner, S::Closed),
            ]);
            // Members, whoever raised the question.
            list.extend([
                (
                    S::CollectingInput,
                    A::GiveInput,
                    M,
                    owner,
                    S::CollectingInput,
                ),
                (S::CollectingInput, A::Endorse, M, owner, S::CollectingInput),
                (
                    S::AdviceDrafted,
                    A::ReviewAdvice,
                    M,
                    owner,
                    S::AdviceDrafted,
                ),
            ]);
        }
        list
    }

    #[test]
    fn every_state_action_and_role_is_as_specified() {
        let spec = allowed();
        let mut checked = 0;
        for state in State::ALL {
            for action in Action::ALL {
                for role in [M, P, C] {
                    for is_owner in [false, true] {
                        let got = next(state, action, Actor { role, is_owner });
                        let expected = spec
                            .iter()
                            .find(|(s, a, r, o, _)| {
                                *s == state && *a == action && *r == role && *o == is_owner
                            })
                            .map(|(.., to)| *to);
                        match expected {
                            Some(to) => assert_eq!(got, Ok(to), "{state:?} {action:?} {role:?} owner={is_owner}"),
                            None => assert!(got.is_err(), "{state:?} {action:?} {role:?} owner={is_owner} should be refused, got {got:?}"),
                        }
                        checked += 1;
                    }
                }
            }
        }
        assert_eq!(checked, 10 * 15 * 3 * 2);
    }

    #[test]
    fn refusals_say_whether_it_is_the_person_or_the_moment() {
        let member = Actor {
            role: M,
            is_owner: false,
        };
        let coordinator = Actor {
            role: C,
            is_owner: false,
        };
        assert_eq!(
            next(S::Submitted, A::Accept, member),
            Err(Refusal::NotAllowed)
        );
        assert_eq!(
            next(S::Draft, A::Accept, coordinator),
            Err(Refusal::WrongState)
        );
        assert_eq!(
            next(S::AdviceSent, A::GiveInput, member),
            Err(Refusal::WrongState)
        );
    }

    #[test]
    fn states_round_trip_through_the_database_text() {
        for state in State::ALL {
            assert_eq!(State::from_db(state.as_str()), Some(state));
        }
        assert_eq!(State::from_db("weg"), None);
    }
}
