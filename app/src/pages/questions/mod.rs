//! The question pages: the list, the form, and one question's page with its input and
//! advice.

mod advice;
mod detail;
mod form;
mod input;
mod list;

pub use detail::QuestionPage;
pub use form::QuestionFormPage;
pub use list::QuestionsPage;

use crate::i18n::*;
use crate::lifecycle::State;
use crate::model::{Participation, QuestionEvent};
use leptos_i18n::I18nContext;

/// The name of a state, in the current language.
pub fn state_name(i18n: I18nContext<Locale>, state: State) -> String {
    match state {
        State::Draft => t_string!(i18n, questions.state_draft),
        State::Submitted => t_string!(i18n, questions.state_submitted),
        State::Returned => t_string!(i18n, questions.state_returned),
        State::Proposed => t_string!(i18n, questions.state_proposed),
        State::Assigned => t_string!(i18n, questions.state_assigned),
        State::Accepted => t_string!(i18n, questions.state_accepted),
        State::CollectingInput => t_string!(i18n, questions.state_collecting_input),
        State::AdviceDrafted => t_string!(i18n, questions.state_advice_drafted),
        State::AdviceSent => t_string!(i18n, questions.state_advice_sent),
        State::Closed => t_string!(i18n, questions.state_closed),
    }
    .to_string()
}

/// What a state means, in one plain sentence.
pub(super) fn state_explanation(i18n: I18nContext<Locale>, state: State) -> String {
    match state {
        State::Draft => t_string!(i18n, questions.explain_draft),
        State::Submitted => t_string!(i18n, questions.explain_submitted),
        State::Returned => t_string!(i18n, questions.explain_returned),
        State::Proposed => t_string!(i18n, questions.explain_proposed),
        State::Assigned => t_string!(i18n, questions.explain_assigned),
        State::Accepted => t_string!(i18n, questions.explain_accepted),
        State::CollectingInput => t_string!(i18n, questions.explain_collecting_input),
        State::AdviceDrafted => t_string!(i18n, questions.explain_advice_drafted),
        State::AdviceSent => t_string!(i18n, questions.explain_advice_sent),
        State::Closed => t_string!(i18n, questions.explain_closed),
    }
    .to_string()
}

pub(super) fn participation_name(i18n: I18nContext<Locale>, level: Participation) -> String {
    match level {
        Participation::Inform => t_string!(i18n, questions.participation_inform),
        Participation::Consult => t_string!(i18n, questions.participation_consult),
        Participation::Advise => t_string!(i18n, questions.participation_advise),
        Participation::CoDecide => t_string!(i18n, questions.participation_co_decide),
    }
    .to_string()
}

pub(super) fn event_name(i18n: I18nContext<Locale>, event: QuestionEvent) -> String {
    match event {
        QuestionEvent::Created => t_string!(i18n, questions.event_created),
        QuestionEvent::Edited => t_string!(i18n, questions.event_edited),
        QuestionEvent::Submitted => t_string!(i18n, questions.event_submitted),
        QuestionEvent::Returned => t_string!(i18n, questions.event_returned),
        QuestionEvent::Accepted => t_string!(i18n, questions.event_accepted),
        QuestionEvent::InputOpened => t_string!(i18n, questions.event_input_opened),
        QuestionEvent::InputClosed => t_string!(i18n, questions.event_input_closed),
        QuestionEvent::InputReopened => t_string!(i18n, questions.event_input_reopened),
        QuestionEvent::AdviceSent => t_string!(i18n, questions.event_advice_sent),
        QuestionEvent::GroupInput => t_string!(i18n, questions.event_group_input),
        QuestionEvent::InputHidden => t_string!(i18n, questions.event_input_hidden),
        QuestionEvent::Proposed => t_string!(i18n, questions.event_proposed),
        QuestionEvent::Assigned => t_string!(i18n, questions.event_assigned),
        QuestionEvent::Acknowledged => t_string!(i18n, questions.event_acknowledged),
        QuestionEvent::InputClosingSet => t_string!(i18n, questions.event_input_closing_set),
        QuestionEvent::FeedbackSubmitted => t_string!(i18n, questions.event_feedback_submitted),
        QuestionEvent::FeedbackEscalated => t_string!(i18n, questions.event_feedback_escalated),
        QuestionEvent::InfographicPublished => {
            t_string!(i18n, questions.event_infographic_published)
        }
        QuestionEvent::InfographicRepublished => {
            t_string!(i18n, questions.event_infographic_republished)
        }
        QuestionEvent::Closed => t_string!(i18n, questions.event_closed),
    }
    .to_string()
}
