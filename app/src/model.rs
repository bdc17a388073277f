//! Serialisable types shared by browser and server.

use crate::domain::Role;
use serde::{Deserialize, Serialize};

/// The logged-in person, as the interface needs them.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct CurrentUser {
    pub id: i64,
    pub display_name: String,
    pub role: Role,
    pub panel: PanelSummary,
    /// Set for policy makers: the municipality they work for.
    pub municipality: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PanelSummary {
    pub id: i64,
    pub name: String,
    pub region: String,
    pub slug: String,
}

/// What anyone may see of a panel, without logging in.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PublicPanel {
    pub panel: PanelSummary,
    pub municipalities: Vec<String>,
    pub member_count: i64,
    pub is_demo: bool,
}

/// The deployment's front page: its panels, and whether first-run setup is still open.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Landing {
    pub panels: Vec<PublicPanel>,
    pub setup_pending: bool,
}

/// The home page of a logged-in person.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Home {
    pub user: CurrentUser,
    /// Members: the group agreements still need accepting before anything else.
    pub must_accept_agreements: bool,
    /// Members: their fixed point of contact.
    pub contact: Option<Contact>,
    /// Questions that wait for this person.
    pub waiting: Vec<QuestionSummary>,
    /// The next panel meetings (a policy maker: those they are a guest of).
    pub meetings: Vec<MeetingSummary>,
    pub municipalities: Vec<String>,
    pub coordinators: Vec<String>,
    pub members: i64,
    pub policy_makers: i64,
    /// Coordinators: answers to advice past their due date.
    pub overdue_feedback: i64,
}

/// An invitation that has not been accepted or revoked, for the coordinator's list.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct OpenInvitation {
    pub id: i64,
    pub email: String,
    pub role: Role,
    pub municipality: Option<String>,
    pub invited_by: Option<String>,
    /// `dd-mm-yyyy hh:mm`, Amsterdam time.
    pub sent: String,
    pub expires: String,
    pub expired: bool,
    /// The last invitation mail could not be delivered.
    pub mail_failed: bool,
}

/// What the invitation page shows before the invitee makes their account.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct InvitationInfo {
    pub panel_name: String,
    pub email: String,
    pub role: Role,
    pub municipality: Option<String>,
}

/// A person on the panel, for the coordinator's people page.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Person {
    pub id: i64,
    pub display_name: String,
    pub email: String,
    pub role: Role,
    pub municipality: Option<String>,
    pub active: bool,
    pub last_login: Option<String>,
    pub joined: String,
    pub second_factor: bool,
    pub is_me: bool,
}

/// The people page: people, open invitations, and what the invite form offers.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct People {
    pub people: Vec<Person>,
    pub invitations: Vec<OpenInvitation>,
    pub municipalities: Vec<Municipality>,
    /// The panel requires a second factor of coordinators and policy makers.
    pub require_second_factor: bool,
    /// Weeks a policy maker has to answer the panel's advice.
    pub feedback_weeks: i64,
    /// Days an answer may be late before the coordinators are told.
    pub escalation_days: i64,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Municipality {
    pub id: i64,
    pub name: String,
}

/// A page of a list that walks back from the newest rows (notifications, the audit log).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct OlderPages<T> {
    pub items: Vec<T>,
    /// The cursor of the next page (older rows), when there is one.
    pub older: Option<String>,
}

/// What the audit log records: one security-relevant event.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum AuditEvent {
    InvitationSent,
    InvitationResent,
    InvitationRevoked,
    InvitationAccepted,
    RoleChanged,
    Deactivated,
    Reactivated,
    LoginFailed,
    PasswordResetRequested,
    PasswordReset,
    PasswordChanged,
    EmailChanged,
    SessionsEnded,
    AgreementsChanged,
    AgreementsAccepted,
    SecondFactorOn,
    SecondFactorOff,
    SecondFactorRequired,
    SecondFactorReset,
}

impl AuditEvent {
    pub const ALL: [AuditEvent; 19] = [
        AuditEvent::InvitationSent,
        AuditEvent::InvitationResent,
        AuditEvent::InvitationRevoked,
        AuditEvent::InvitationAccepted,
        AuditEvent::RoleChanged,
        AuditEvent::Deactivated,
        AuditEvent::Reactivated,
        AuditEvent::LoginFailed,
        AuditEvent::PasswordResetRequested,
        AuditEvent::PasswordReset,
        AuditEvent::PasswordChanged,
        AuditEvent::EmailChanged,
        AuditEvent::SessionsEnded,
        AuditEvent::AgreementsChanged,
        AuditEvent::AgreementsAccepted,
        AuditEvent::SecondFactorOn,
        AuditEvent::SecondFactorOff,
        AuditEvent::SecondFactorRequired,
        AuditEvent::SecondFactorReset,
    ];

    /// As stored in `audit_log.event`.
    pub fn as_str(self) -> &'static str {
        match self {
            AuditEvent::InvitationSent => "invitation_sent",
            AuditEvent::InvitationResent => "invitation_resent",
            AuditEvent::InvitationRevoked => "invitation_revoked",
            AuditEvent::InvitationAccepted => "invitation_accepted",
            AuditEvent::RoleChanged => "role_changed",
            AuditEvent::Deactivated => "deactivated",
            AuditEvent::Reactivated => "reactivated",
            AuditEvent::LoginFailed => "login_failed",
            AuditEvent::PasswordResetRequested => "password_reset_requested",
            AuditEvent::PasswordReset => "password_reset",
            AuditEvent::PasswordChanged => "password_changed",
            AuditEvent::EmailChanged => "email_changed",
            AuditEvent::SessionsEnded => "sessions_ended",
            AuditEvent::AgreementsChanged => "agreements_changed",
            AuditEvent::AgreementsAccepted => "agreements_accepted",
            AuditEvent::SecondFactorOn => "second_factor_on",
            AuditEvent::SecondFactorOff => "second_factor_off",
            AuditEvent::SecondFactorRequired => "second_factor_required",
            AuditEvent::SecondFactorReset => "second_factor_reset",
        }
    }

    pub fn from_db(value: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|e| e.as_str() == value)
    }
}

/// One line of the audit log.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct AuditEntry {
    pub at: String,
    pub event: AuditEvent,
    pub actor: Option<String>,
    pub subject: Option<String>,
    pub detail: String,
}

/// Setting up the second factor: the secret to type or scan.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Enrolment {
    /// Base32, in groups of four for typing.
    pub secret: String,
    /// `otpauth://` link for apps on the same device.
    pub uri: String,
    /// The QR code as one SVG path, `qr_size` units square.
    pub qr_path: String,
    pub qr_size: u32,
}

/// A coordinator a member can turn to.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Contact {
    pub display_name: String,
    pub email: String,
    /// How to reach them, in their own words (phone, hours, …).
    pub how: String,
}

/// The panel's group agreements, and whether the viewer has accepted them.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Agreements {
    pub panel_name: String,
    pub text: String,
    pub updated: Option<String>,
    pub accepted: Option<String>,
    pub can_edit: bool,
}

/// Someone's own account settings.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Profile {
    pub display_name: String,
    pub email: String,
    pub role: Role,
    pub language: crate::domain::Language,
    pub notify: crate::domain::NotifyPreference,
    /// Coordinators only: how members can reach them.
    pub contact_info: Option<String>,
    pub second_factor: bool,
    pub other_sessions: i64,
    /// A new address waiting for confirmation by mail.
    pub pending_email: Option<String>,
}

/// A theme questions belong to.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Theme {
    pub id: i64,
    pub name: String,
}

/// A question in a list.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct QuestionSummary {
    pub id: i64,
    pub title: String,
    pub state: crate::lifecycle::State,
    pub theme: Option<String>,
    pub municipalities: Vec<String>,
    /// `dd-mm-yyyy`
    pub needed_by: Option<String>,
    pub owner: Option<String>,
    pub updated: String,
    /// The last change as a Unix time: with `id`, the question's place in a list.
    pub updated_at: i64,
}

/// One page of a question list.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct QuestionList {
    pub items: Vec<QuestionSummary>,
    /// 1-based, for showing: pages are found by the cursors below, not counted.
    pub page: i64,
    /// The cursor of the page before (newer questions), when there is one.
    pub newer: Option<String>,
    /// The cursor of the page after (older questions), when there is one.
    pub older: Option<String>,
    pub filters: ListFilters,
}

/// How much say the panel has on a question: the rungs of the participation ladder.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum Participation {
    /// The panel is told what was decided.
    Inform,
    /// The panel is asked for its views.
    Consult,
    /// The panel gives advice the municipality answers (comply or explain).
    Advise,
    /// The panel decides together with the municipality.
    CoDecide,
}

impl Participation {
    pub const ALL: [Participation; 4] = [
        Participation::Inform,
        Participation::Consult,
        Participation::Advise,
        Participation::CoDecide,
    ];

    /// As stored in `questions.participation` and sent by the question form.
    pub fn as_str(self) -> &'static str {
        match self {
            Participation::Inform => "inform",
            Participation::Consult => "consult",
            Participation::Advise => "advise",
            Participation::CoDecide => "co_decide",
        }
    }

    pub fn from_db(value: &str) -> Option<Participation> {
        Participation::ALL.into_iter().find(|p| p.as_str() == value)
    }
}

/// What happened to a question, as its timeline shows it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum QuestionEvent {
    Created,
    Edited,
    Submitted,
    Returned,
    Accepted,
    InputOpened,
    InputClosed,
    InputReopened,
    AdviceSent,
    GroupInput,
    InputHidden,
    Proposed,
    Assigned,
    Acknowledged,
    InputClosingSet,
    FeedbackSubmitted,
    FeedbackEscalated,
    InfographicPublished,
    InfographicRepublished,
    Closed,
}

impl QuestionEvent {
    pub const ALL: [QuestionEvent; 20] = [
        QuestionEvent::Created,
        QuestionEvent::Edited,
        QuestionEvent::Submitted,
        QuestionEvent::Returned,
        QuestionEvent::Accepted,
        QuestionEvent::InputOpened,
        QuestionEvent::InputClosed,
        QuestionEvent::InputReopened,
        QuestionEvent::AdviceSent,
        QuestionEvent::GroupInput,
        QuestionEvent::InputHidden,
        QuestionEvent::Proposed,
        QuestionEvent::Assigned,
        QuestionEvent::Acknowledged,
        QuestionEvent::InputClosingSet,
        QuestionEvent::FeedbackSubmitted,
        QuestionEvent::FeedbackEscalated,
        QuestionEvent::InfographicPublished,
        QuestionEvent::InfographicRepublished,
        QuestionEvent::Closed,
    ];

    /// As stored in `question_events.event`.
    pub fn as_str(self) -> &'static str {
        match self {
            QuestionEvent::Created => "created",
            QuestionEvent::Edited => "edited",
            QuestionEvent::Submitted => "submitted",
            QuestionEvent::Returned => "returned",
            QuestionEvent::Accepted => "accepted",
            QuestionEvent::InputOpened => "input_opened",
            QuestionEvent::InputClosed => "input_closed",
            QuestionEvent::InputReopened => "input_reopened",
            QuestionEvent::AdviceSent => "advice_sent",
            QuestionEvent::GroupInput => "group_input",
            QuestionEvent::InputHidden => "input_hidden",
            QuestionEvent::Proposed => "proposed",
            QuestionEvent::Assigned => "assigned",
            QuestionEvent::Acknowledged => "acknowledged",
            QuestionEvent::InputClosingSet => "input_closing_set",
            QuestionEvent::FeedbackSubmitted => "feedback_submitted",
            QuestionEvent::FeedbackEscalated => "feedback_escalated",
            QuestionEvent::InfographicPublished => "infographic_published",
            QuestionEvent::InfographicRepublished => "infographic_republished",
            QuestionEvent::Closed => "closed",
        }
    }

    pub fn from_db(value: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|e| e.as_str() == value)
    }
}

/// One moment in a question's life.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct TimelineEntry {
    pub at: String,
    pub event: QuestionEvent,
    pub actor: Option<String>,
    pub detail: String,
}

/// A question with everything its page shows, and what the viewer may do with it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct QuestionDetail {
    pub id: i64,
    pub title: String,
    pub state: crate::lifecycle::State,
    /// Raised by the panel itself (ongevraagd advies).
    pub unsolicited: bool,
    /// Who raised it (members and coordinators see the name; policy makers see none).
    pub proposed_by: Option<String>,
    /// Markdown, as written (for the edit form).
    pub background: String,
    /// The background as safe HTML, made on the server.
    pub background_html: String,
    pub question: String,
    pub open_to_influence: String,
    pub already_fixed: String,
    pub decision_moment: String,
    /// `yyyy-mm-dd` (for the edit form) and `dd-mm-yyyy` (to show).
    pub needed_by_iso: String,
    pub needed_by: String,
    pub participation: Participation,
    pub theme_id: Option<i64>,
    pub theme: Option<String>,
    pub municipality_ids: Vec<i64>,
    pub municipalities: Vec<String>,
    pub owner: Option<String>,
    pub return_reason: String,
    pub timeline: Vec<TimelineEntry>,
    pub actions: Vec<crate::lifecycle::Action>,
    /// The last day input can be given: `yyyy-mm-dd` and `dd-mm-yyyy` (empty: none set).
    pub input_closes_on_iso: String,
    pub input_closes_on: String,
    /// The closing day has passed: no new input or endorsements.
    pub input_closed: bool,
    /// Coordinators assigning a subject: the panel's policy makers.
    pub policy_makers: Vec<PolicyMakerOption>,
    pub inputs: Vec<InputView>,
    /// Shown to coordinators and members from drafting on, to everyone once sent.
    pub advice: Option<AdviceView>,
    /// Once the advice is sent: the owner's answers and what is published.
    pub feedback: Option<FeedbackView>,
    /// The published infographic.
    pub infographic: Option<Infographic>,
}

/// What the question form offers.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct QuestionFormData {
    pub themes: Vec<Theme>,
    pub municipalities: Vec<Municipality>,
    /// The question being edited, if any.
    pub question: Option<QuestionDetail>,
    /// A subject the panel raises itself (fewer fields).
    pub unsolicited: bool,
    /// Today in Amsterdam, `yyyy-mm-dd` (the earliest date is tomorrow).
    pub today: String,
}

/// One input of a young person, as this viewer may see it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct InputView {
    pub id: i64,
    /// Stable number within the question ("mening 3"), used by recommendations.
    pub number: i64,
    pub body: String,
    /// `None`: this viewer does not see who wrote it (policy makers, unless allowed).
    pub author: Option<String>,
    pub is_mine: bool,
    /// Recorded by a coordinator for the group.
    pub for_group: bool,
    pub show_name: bool,
    pub may_quote: bool,
    pub endorsements: i64,
    pub endorsed_by_me: bool,
    /// Set when a coordinator hid it; only its author and coordinators see hidden input.
    pub hidden_reason: Option<String>,
}

/// A numbered recommendation of the advice.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct RecommendationView {
    pub position: i64,
    pub body: String,
    /// Fingerprint of `body` (`domain::text_key`): a reaction says which text it is about.
    pub key: String,
    /// Numbers of the inputs it rests on.
    pub supported_by: Vec<i64>,
    /// Members' reactions while the advice is a draft (not shown once it is sent).
    pub agree: i64,
    pub disagree: i64,
    /// Coordinators: each comment with its writer.
    pub comments: Vec<(String, String)>,
    /// Members: their own reaction (agrees, comment).
    pub mine: Option<(bool, String)>,
}

/// The panel's advice on a question.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct AdviceView {
    pub summary: String,
    pub recommendations: Vec<RecommendationView>,
    /// `dd-mm-yyyy hh:mm` once sent.
    pub sent: Option<String>,
    /// `dd-mm-yyyy`: when the policy maker's answer is due.
    pub feedback_due: Option<String>,
    /// How many young people gave input.
    pub participants: i64,
}

/// Where a meeting's minutes are: not written yet, a draft open for the panel's comments,
/// or published (final).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum MinutesState {
    NotWritten,
    Draft,
    Published,
}

impl MinutesState {
    /// As stored in `meetings.minutes_state`.
    pub fn as_str(self) -> &'static str {
        match self {
            MinutesState::NotWritten => "none",
            MinutesState::Draft => "draft",
            MinutesState::Published => "published",
        }
    }

    pub fn from_db(value: &str) -> Option<Self> {
        [Self::NotWritten, Self::Draft, Self::Published]
            .into_iter()
            .find(|s| s.as_str() == value)
    }
}

/// What a notification is about.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum NoticeKind {
    /// To coordinators: a question waits to be accepted.
    QuestionSubmitted,
    /// To the owner.
    QuestionAccepted,
    QuestionReturned,
    /// To members: a question is open for their views.
    InputOpen,
    /// To members: the draft advice is there to react to.
    DraftReady,
    /// To the owner.
    AdviceSent,
    /// To coordinators: members raised a subject themselves.
    SubjectProposed,
    /// To the policy maker who is to take the subject on.
    SubjectAssigned,
    /// To coordinators.
    ThemeProposed,
    /// To coordinators: the owner answered the advice.
    FeedbackSubmitted,
    /// To the owner: the answer is due in a week, or today.
    FeedbackReminder,
    /// To the owner: the answer is late (weekly).
    FeedbackOverdue,
    /// To coordinators: the answer is late by the panel's escalation days.
    FeedbackEscalated,
    /// To everyone who took part: what was done with the advice is published.
    FeedbackPublished,
    /// To the owner: a still-open point was to be decided today.
    FeedbackFollowUp,
    /// To everyone who took part: an adopted recommendation is done.
    RecommendationDone,
    /// To everyone who took part: an adopted recommendation was stopped (with why).
    RecommendationStopped,
    /// To the owner: the day a recommendation was expected to be done passed without an
    /// update.
    ProgressOverdue,
}

impl NoticeKind {
    pub const ALL: [NoticeKind; 18] = [
        NoticeKind::QuestionSubmitted,
        NoticeKind::QuestionAccepted,
        NoticeKind::QuestionReturned,
        NoticeKind::InputOpen,
        NoticeKind::DraftReady,
        NoticeKind::AdviceSent,
        NoticeKind::SubjectProposed,
        NoticeKind::SubjectAssigned,
        NoticeKind::ThemeProposed,
        NoticeKind::FeedbackSubmitted,
        NoticeKind::FeedbackReminder,
        NoticeKind::FeedbackOverdue,
        NoticeKind::FeedbackEscalated,
        NoticeKind::FeedbackPublished,
        NoticeKind::FeedbackFollowUp,
        NoticeKind::RecommendationDone,
        NoticeKind::RecommendationStopped,
        NoticeKind::ProgressOverdue,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            NoticeKind::QuestionSubmitted => "question_submitted",
            NoticeKind::QuestionAccepted => "question_accepted",
            NoticeKind::QuestionReturned => "question_returned",
            NoticeKind::InputOpen => "input_open",
            NoticeKind::DraftReady => "draft_ready",
            NoticeKind::AdviceSent => "advice_sent",
            NoticeKind::SubjectProposed => "subject_proposed",
            NoticeKind::SubjectAssigned => "subject_assigned",
            NoticeKind::ThemeProposed => "theme_proposed",
            NoticeKind::FeedbackSubmitted => "feedback_submitted",
            NoticeKind::FeedbackReminder => "feedback_reminder",
            NoticeKind::FeedbackOverdue => "feedback_overdue",
            NoticeKind::FeedbackEscalated => "feedback_escalated",
            NoticeKind::FeedbackPublished => "feedback_published",
            NoticeKind::FeedbackFollowUp => "feedback_follow_up",
            NoticeKind::RecommendationDone => "recommendation_done",
            NoticeKind::RecommendationStopped => "recommendation_stopped",
            NoticeKind::ProgressOverdue => "progress_overdue",
        }
    }

    /// Reminders and escalations are mailed whatever the person chose for notices: an
    /// answer the panel waits for must not hide in a weekly digest.
    pub fn always_mailed(self) -> bool {
        matches!(
            self,
            NoticeKind::FeedbackReminder
                | NoticeKind::FeedbackOverdue
                | NoticeKind::FeedbackEscalated
                | NoticeKind::ProgressOverdue
        )
    }

    pub fn from_db(value: &str) -> Option<Self> {
        NoticeKind::ALL.into_iter().find(|k| k.as_str() == value)
    }
}

/// One notification in a person's list.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct NotificationView {
    pub id: i64,
    pub kind: NoticeKind,
    pub href: String,
    pub subject: String,
    /// `dd-mm-yyyy hh:mm`
    pub at: String,
    /// Not seen before this list was shown.
    pub new: bool,
}

/// A theme with everything the themes page shows.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ThemeView {
    pub id: i64,
    pub name: String,
    pub description: String,
    /// "proposed", "adopted" or "archived".
    pub status: String,
    pub proposed_by: Option<String>,
    /// Members who support a proposal.
    pub endorsements: i64,
    pub endorsed_by_me: bool,
    /// Questions with this theme.
    pub questions: i64,
}

/// The themes page: every theme of the panel, and what the viewer may do.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ThemesPage {
    pub themes: Vec<ThemeView>,
    pub may_propose: bool,
    pub may_endorse: bool,
    pub may_decide: bool,
}

/// A policy maker a coordinator can assign a subject to.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PolicyMakerOption {
    pub id: i64,
    pub name: String,
    pub municipality: Option<String>,
}

/// What the question list's filters offer.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ListFilters {
    pub themes: Vec<Theme>,
    pub municipalities: Vec<Municipality>,
}

/// A meeting in a list: when, where, and the viewer's answer.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct MeetingSummary {
    pub id: i64,
    pub starts_at: i64,
    pub ends_at: i64,
    pub location: String,
    pub online_url: String,
    pub cancelled: bool,
    /// The viewer's answer: "yes", "no", "maybe", or empty.
    pub my_answer: String,
    /// Titles of the agenda items, in order.
    pub agenda: Vec<String>,
    pub coming: i64,
    /// Whether the viewer was there, once attendance is recorded.
    pub attended: Option<bool>,
    pub past: bool,
}

/// The meetings page: what is coming, what was, and what the viewer may do.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct MeetingsPage {
    pub upcoming: Vec<MeetingSummary>,
    /// The latest past meetings, newest first.
    pub past: Vec<MeetingSummary>,
    pub may_plan: bool,
    /// How many of the viewer's past meetings they attended, and how many were recorded.
    pub attended: i64,
    pub attendance_recorded: i64,
    /// Coordinators: the hourly rate (`10,00`) and meetings with travel claims to decide
    /// (id, start, how many).
    pub hourly_rate: String,
    pub open_claims: Vec<(i64, i64, i64)>,
    /// This year (Amsterdam), for the export's default period.
    pub year: u16,
}

/// One agenda item.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct AgendaItemView {
    pub id: i64,
    pub position: i64,
    pub title: String,
    pub duration_minutes: i64,
    pub question_id: Option<i64>,
    pub question_title: Option<String>,
    /// The linked question's background as safe HTML, for reading before the evening.
    pub question_background_html: String,
    /// The policy maker invited for this item.
    pub guest: Option<String>,
    pub minutes: String,
    /// The linked question is open for input (the minutes can record the group's input).
    pub question_open: bool,
    /// Coordinators: the group input recorded with the minutes of this item, if any.
    pub group_input: String,
}

/// Someone invited to a meeting, with their answer and (afterwards) attendance.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct InviteeView {
    pub user_id: i64,
    pub name: String,
    pub role: Role,
    pub guest: bool,
    /// "yes", "no", "maybe", or empty.
    pub answer: String,
    pub attended: Option<bool>,
}

/// Counts of the answers, for everyone (guests see only these).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
pub struct AnswerCounts {
    pub yes: i64,
    pub no: i64,
    pub maybe: i64,
    pub open: i64,
}

/// A question that can be put on an agenda, with its owner.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct AgendaQuestion {
    pub id: i64,
    pub title: String,
    pub owner: Option<String>,
}

/// A meeting with its agenda and who is coming.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct MeetingView {
    pub id: i64,
    pub starts_at: i64,
    pub ends_at: i64,
    /// For the move form: `yyyy-mm-dd`, `hh:mm`, `hh:mm` in Amsterdam.
    pub date_iso: String,
    pub starts_time: String,
    pub ends_time: String,
    pub location: String,
    pub online_url: String,
    pub cancelled: bool,
    pub cancel_reason: String,
    pub in_series: bool,
    pub started: bool,
    pub past: bool,
    pub agenda: Vec<AgendaItemView>,
    pub counts: AnswerCounts,
    /// Names and answers: for the panel only (empty for guests).
    pub invitees: Vec<InviteeView>,
    pub my_answer: String,
    pub may_answer: bool,
    pub may_plan: bool,
    /// For the coordinator's agenda form.
    pub questions: Vec<AgendaQuestion>,
    pub minutes_state: MinutesState,
    pub minutes_comments_until: Option<i64>,
    /// Comments on draft minutes (inside the panel only).
    pub comments: Vec<MinutesComment>,
    pub may_comment: bool,
    /// Travel claims: all for a coordinator, one's own for a member.
    pub claims: Vec<TravelClaimView>,
    pub may_claim: bool,
}

/// A comment on draft minutes.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct MinutesComment {
    pub name: String,
    pub body: String,
    pub at: i64,
}

/// A travel claim for a meeting.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct TravelClaimView {
    pub id: i64,
    pub name: String,
    /// `12,50`
    pub amount: String,
    pub description: String,
    /// "submitted", "approved" or "rejected".
    pub status: String,
}

/// What the owner of a question decided about one recommendation of the panel.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum ResponseStatus {
    Adopted,
    Partly,
    NotAdopted,
    /// Not decided yet: needs a follow-up date and stays open until it gets a final status.
    StillOpen,
}

impl ResponseStatus {
    pub const ALL: [ResponseStatus; 4] = [
        ResponseStatus::Adopted,
        ResponseStatus::Partly,
        ResponseStatus::NotAdopted,
        ResponseStatus::StillOpen,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            ResponseStatus::Adopted => "adopted",
            ResponseStatus::Partly => "partly",
            ResponseStatus::NotAdopted => "not_adopted",
            ResponseStatus::StillOpen => "still_open",
        }
    }

    pub fn parse(value: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|s| s.as_str() == value)
    }

    /// A symbol that says the status without colour (shown beside the word, never alone).
    pub fn icon(self) -> &'static str {
        match self {
            ResponseStatus::Adopted => "✓",
            ResponseStatus::Partly => "◐",
            ResponseStatus::NotAdopted => "✗",
            ResponseStatus::StillOpen => "…",
        }
    }
}

/// The colours an infographic is drawn in. Every pair of text and background in a
/// theme has a contrast of at least 4.5:1.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum ColourTheme {
    Ocean,
    Forest,
    Sunset,
    Berry,
}

impl ColourTheme {
    pub const ALL: [ColourTheme; 4] = [
        ColourTheme::Ocean,
        ColourTheme::Forest,
        ColourTheme::Sunset,
        ColourTheme::Berry,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            ColourTheme::Ocean => "ocean",
            ColourTheme::Forest => "forest",
            ColourTheme::Sunset => "sunset",
            ColourTheme::Berry => "berry",
        }
    }

    pub fn parse(value: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|s| s.as_str() == value)
    }

    /// (page background, accent for headings and bands, text on the accent, body text).
    pub fn colours(self) -> (&'static str, &'static str, &'static str, &'static str) {
        match self {
            ColourTheme::Ocean => ("#f1f6fb", "#0b4f8a", "#ffffff", "#1b2430"),
            ColourTheme::Forest => ("#f2f8f3", "#1d6336", "#ffffff", "#1a2a1f"),
            ColourTheme::Sunset => ("#fff6ef", "#a6401a", "#ffffff", "#2e1d14"),
            ColourTheme::Berry => ("#f8f2fa", "#6b2a83", "#ffffff", "#281a2e"),
        }
    }
}

/// One recommendation with the answer it got, as the infographic shows it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct InfographicItem {
    pub position: i64,
    pub recommendation: String,
    pub status: ResponseStatus,
    pub explanation: String,
    /// "Still open": the date it will be decided, as shown ("12-01-2027").
    pub follow_up: Option<String>,
    /// Adopted or partly: the latest update on carrying it out. A published infographic
    /// shows the newest one beside what it said when published.
    #[serde(default)]
    pub progress: Option<ProgressUpdate>,
}

/// How far an adopted (or partly adopted) recommendation has been carried out.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum Progress {
    Planned,
    InProgress,
    Done,
    /// Given up, with the reason.
    Stopped,
}

impl Progress {
    pub const ALL: [Progress; 4] = [
        Progress::Planned,
        Progress::InProgress,
        Progress::Done,
        Progress::Stopped,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            Progress::Planned => "planned",
            Progress::InProgress => "in_progress",
            Progress::Done => "done",
            Progress::Stopped => "stopped",
        }
    }

    pub fn parse(value: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|s| s.as_str() == value)
    }

    /// A symbol that says the state without colour (beside the word, never alone).
    pub fn icon(self) -> &'static str {
        match self {
            Progress::Planned => "○",
            Progress::InProgress => "◔",
            Progress::Done => "✓",
            Progress::Stopped => "✗",
        }
    }

    /// Done and stopped end the track: no update follows.
    pub fn is_final(self) -> bool {
        matches!(self, Progress::Done | Progress::Stopped)
    }

    /// Planned and in progress need the day it is expected to be done.
    pub fn needs_date(self) -> bool {
        !self.is_final()
    }
}

/// One dated update on carrying out a recommendation.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ProgressUpdate {
    pub state: Progress,
    /// What happened; for stopped, why.
    pub note: String,
    /// Planned and in progress: when it is expected to be done (`dd-mm-yyyy`).
    pub expected: Option<String>,
    /// The day of the update (`dd-mm-yyyy`).
    pub on: String,
    /// A coordinator wrote it on the owner's behalf.
    pub on_behalf: bool,
}

/// The feedback infographic, built from the question, the advice and the answers, with
/// the texts the coordinator edited. Names no one.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Infographic {
    pub question_id: i64,
    pub panel_name: String,
    pub panel_slug: String,
    pub title: String,
    /// The question in one sentence.
    pub question: String,
    /// Who asked it: the owner's municipality ("Tilburg"); none for a subject the panel
    /// raised itself.
    #[serde(default)]
    pub asked_by: Option<String>,
    #[serde(default)]
    pub unsolicited: bool,
    /// When it reached the panel (`dd-mm-yyyy`).
    #[serde(default)]
    pub asked_on: String,
    /// "Wat jullie zeiden": the advice summary (edited by the coordinator).
    pub said: String,
    /// The most-endorsed inputs, most endorsed first (at most three).
    pub top_inputs: Vec<String>,
    /// One quote from an input whose author allowed quoting.
    pub quote: Option<String>,
    /// "Wat er mee gedaan is".
    pub items: Vec<InfographicItem>,
    /// "Wat dit betekent voor jongeren".
    pub meaning: String,
    /// Key numbers: members who took part, meetings where it was discussed, days from
    /// advice to feedback.
    pub members: i64,
    pub meetings: i64,
    pub days: Option<i64>,
    pub theme: ColourTheme,
    /// Set once published ("29-11-2026").
    pub published: Option<String>,
}

/// One recommendation with the owner's answer so far.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ResponseView {
    pub position: i64,
    pub recommendation: String,
    pub status: Option<ResponseStatus>,
    pub explanation: String,
    /// Why not (partly or not adopted).
    pub reason: String,
    /// What changes for young people.
    pub changes: String,
    pub follow_up: String,
    pub follow_up_iso: String,
    /// Adopted or partly: the updates on carrying it out, oldest first.
    pub progress: Vec<ProgressUpdate>,
}

/// Members' ratings of the feedback, for the owner and the coordinators (no names).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct RatingSummary {
    pub count: i64,
    /// The average in tenths (43 is 4.3).
    pub average_tenths: i64,
    /// (score, comment) of ratings with a comment.
    pub comments: Vec<(i64, String)>,
}

/// The feedback part of a question whose advice was sent.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct FeedbackView {
    /// `dd-mm-yyyy`.
    pub due: String,
    /// Days past the due date without submitted feedback (0 if not late).
    pub days_overdue: i64,
    pub submitted: Option<String>,
    pub message: String,
    /// Empty until submitted, except for the owner.
    pub responses: Vec<ResponseView>,
    pub may_respond: bool,
    pub may_edit_infographic: bool,
    pub may_close: bool,
    pub published: Option<String>,
    pub public_path: Option<String>,
    pub ratings: Option<RatingSummary>,
    /// Members, once the infographic is published.
    pub may_rate: bool,
    pub my_rating: Option<(i64, String)>,
    /// Coordinators: who else hears when the answer is late.
    pub escalation_email: Option<String>,
    /// The owner and the coordinators, once the answers are submitted: they write the
    /// updates on carrying out the adopted recommendations.
    pub may_track: bool,
}

/// An input whose author allowed quoting it, by its number on the question page.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct QuotableInput {
    pub id: i64,
    pub number: i64,
    pub body: String,
}

/// The coordinator's infographic editor.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct InfographicEditor {
    pub title: String,
    pub question_line: String,
    pub said: String,
    pub meaning: String,
    pub quote_input_id: Option<i64>,
    pub theme: ColourTheme,
    pub quotable: Vec<QuotableInput>,
    pub feedback_submitted: bool,
    pub published: Option<String>,
    pub public_path: String,
    pub closed: bool,
    /// As it would be published now.
    pub preview: Infographic,
}

/// A published infographic as anyone sees it, and whether the viewer may rate it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PublicInfographic {
    pub infographic: Infographic,
    /// Absolute addresses of this page and its PNG (for social previews).
    pub page_url: String,
    pub image_url: String,
    pub may_rate: bool,
    pub my_rating: Option<(i64, String)>,
}

/// One published infographic in the panel's public gallery.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct GalleryItem {
    pub id: i64,
    pub title: String,
    pub published: String,
    pub theme: Option<String>,
    /// The day of the newest update on carrying out its recommendations (`dd-mm-yyyy`).
    pub updated: Option<String>,
}

/// The figures a panel shows the public, over the published infographics that match.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct PublicFigures {
    pub published: i64,
    /// Adopted and partly adopted among the recommendations with a final answer.
    pub adoption_percent: Option<i64>,
    /// Answers submitted on or before their due day.
    pub on_time_percent: Option<i64>,
    /// Recommendations carried out.
    pub done: i64,
}

/// A figure of the impact overview, by which its questions are listed.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum ImpactFigure {
    /// Reached the panel in the period (first submitted, or raised by the panel).
    Received,
    /// The panel's advice was sent in the period.
    Advised,
    /// The owner submitted the answers in the period.
    Answered,
    Closed,
    /// Answers past their due day now (whatever the period).
    Overdue,
    /// Recommendations of the questions answered in the period, by their answer.
    Answer(ResponseStatus),
    /// The (partly) adopted ones among them by their newest update; `None`: no update yet.
    Progress(Option<Progress>),
}

impl ImpactFigure {
    /// The figure as a link parameter: `advised`, `answer-adopted`, `progress-done`,
    /// `progress-none`.
    pub fn key(self) -> String {
        match self {
            ImpactFigure::Received => "received".into(),
            ImpactFigure::Advised => "advised".into(),
            ImpactFigure::Answered => "answered".into(),
            ImpactFigure::Closed => "closed".into(),
            ImpactFigure::Overdue => "overdue".into(),
            ImpactFigure::Answer(s) => format!("answer-{}", s.as_str()),
            ImpactFigure::Progress(p) => {
                format!("progress-{}", p.map_or("none", Progress::as_str))
            }
        }
    }

    pub fn parse(key: &str) -> Option<Self> {
        let flow = [
            ImpactFigure::Received,
            ImpactFigure::Advised,
            ImpactFigure::Answered,
            ImpactFigure::Closed,
            ImpactFigure::Overdue,
        ];
        let answers = ResponseStatus::ALL.map(ImpactFigure::Answer);
        let progress = [None, Some(Progress::Planned), Some(Progress::InProgress)]
            .into_iter()
            .chain([Some(Progress::Done), Some(Progress::Stopped)])
            .map(ImpactFigure::Progress);
        flow.into_iter()
            .chain(answers)
            .chain(progress)
            .find(|f| f.key() == key)
    }
}

/// The impact overview's figures for one period, theme and municipality.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct ImpactFigures {
    pub received: i64,
    pub advised: i64,
    pub answered: i64,
    pub closed: i64,
    /// Recommendations of the questions answered in the period, by answer.
    pub adopted: i64,
    pub partly: i64,
    pub not_adopted: i64,
    pub still_open: i64,
    /// The adopted and partly adopted ones by their newest update (now).
    pub no_update: i64,
    pub planned: i64,
    pub in_progress: i64,
    pub done: i64,
    pub stopped: i64,
    /// Adopted and partly adopted among those with a final answer, in whole percent.
    pub adoption_percent: Option<i64>,
    /// Days from advice to answer, the middle of the questions answered in the period.
    pub median_days: Option<i64>,
    /// Answers past their due day now.
    pub overdue_now: i64,
    /// Members who gave or supported input, or came to a meeting, in the period.
    pub members: i64,
    /// Meetings held in the period (not cancelled).
    pub meetings: i64,
    /// Members' ratings of the feedback given in the period, and their average in tenths.
    pub ratings: i64,
    pub rating_tenths: Option<i64>,
}

/// A question behind a figure.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ImpactQuestion {
    pub id: i64,
    pub title: String,
    pub state: crate::lifecycle::State,
}

/// The impact overview: the period (`yyyy-mm-dd`, both days included) and filters as
/// understood, what can be chosen, the figures, and the questions behind one figure.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ImpactPage {
    /// As chosen: `2026`, `2026-q3` or `custom`.
    pub period: String,
    pub from: String,
    pub to: String,
    pub theme: Option<i64>,
    pub municipality: Option<i64>,
    /// The years that can be chosen, newest first.
    pub years: Vec<i64>,
    pub filters: ListFilters,
    pub figures: ImpactFigures,
    pub figure: Option<ImpactFigure>,
    /// The questions behind `figure` that the viewer may open.
    pub behind: Vec<ImpactQuestion>,
    /// Counted in `figure` but not the viewer's to open.
    pub hidden: i64,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn stored_names_read_back_as_what_was_written() {
        for event in QuestionEvent::ALL {
            assert_eq!(QuestionEvent::from_db(event.as_str()), Some(event));
        }
        let mut names: Vec<&str> = QuestionEvent::ALL.iter().map(|e| e.as_str()).collect();
        names.sort_unstable();
        names.dedup();
        assert_eq!(
            names.len(),
            QuestionEvent::ALL.len(),
            "two events share a name"
        );
        assert_eq!(
            QuestionEvent::from_db("input_opened"),
            Some(QuestionEvent::InputOpened)
        );
        assert_eq!(QuestionEvent::from_db("opened"), None);
        for state in [
            MinutesState::NotWritten,
            MinutesState::Draft,
            MinutesState::Published,
        ] {
            assert_eq!(MinutesState::from_db(state.as_str()), Some(state));
        }
        assert_eq!(
            MinutesState::from_db("none"),
            Some(MinutesState::NotWritten)
        );
        assert_eq!(MinutesState::from_db(""), None);
    }

    #[test]
    fn participation_levels_are_the_ones_the_database_allows() {
        for level in Participation::ALL {
            assert_eq!(Participation::from_db(level.as_str()), Some(level));
        }
        assert_eq!(Participation::from_db("co-decide"), None);
        // The CHECK constraint of `questions.participation` lists the same names.
        let migration = include_str!("../../migrations/sqlite/20261129000003_questions.sql");
        let allowed = migration
            .split("CHECK (participation IN (")
            .nth(1)
            .and_then(|rest| rest.split("))").next())
            .unwrap_or_default();
        let mut allowed: Vec<&str> = allowed
            .split(',')
            .map(|name| name.trim().trim_matches('\''))
            .collect();
        allowed.sort_unstable();
        let mut ours: Vec<&str> = Participation::ALL.iter().map(|p| p.as_str()).collect();
        ours.sort_unstable();
        assert_eq!(allowed, ours);
    }
}
