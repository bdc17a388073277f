//! The one error type every server function returns. Every variant is safe to show to a
//! user: it names what went wrong in terms the interface can translate, never a database
//! message or a stack trace (those go to the server log).

use crate::domain::Problem;
use serde::{Deserialize, Serialize};
use server_fn::codec::JsonEncoding;
use server_fn::error::{FromServerFnError, ServerFnErrorErr};

/// A field that was refused, with why.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct FieldProblem {
    pub field: String,
    pub problem: Problem,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, thiserror::Error)]
pub enum AppError {
    /// One or more fields are not acceptable; the form shows each next to its field.
    #[error("invalid input")]
    Invalid(Vec<FieldProblem>),
    /// The caller is not logged in (or the session ended).
    #[error("not logged in")]
    NotLoggedIn,
    /// Logged in, but this is not theirs to see or do.
    #[error("forbidden")]
    Forbidden,
    #[error("not found")]
    NotFound,
    /// Wrong e-mail or password; deliberately does not say which.
    #[error("wrong credentials")]
    WrongCredentials,
    /// The setup link is unknown, used already, or setup was done.
    #[error("setup link not valid")]
    SetupLinkInvalid,
    /// Too many attempts; try again after this many minutes.
    #[error("too many attempts")]
    RateLimited { minutes: i64 },
    /// The invitation link is unknown, used, revoked or expired.
    #[error("invitation not valid")]
    InvitationInvalid,
    /// A password reset or e-mail confirmation link is unknown, used or expired.
    #[error("link not valid")]
    LinkInvalid,
    /// The password was right; now the code from the authenticator app is needed.
    #[error("second factor needed")]
    SecondFactorNeeded,
    /// The server could not read the request: a field missing, of the wrong kind, or
    /// given twice. Our own pages never send one; it says nothing about the fields.
    #[error("bad request")]
    BadRequest,
    /// What was sent is larger than the server accepts (see `docs/configuration.md`).
    #[error("request too large")]
    TooLarge,
    /// Something failed on the server; details are in the server log only.
    #[error("server error")]
    Unexpected,
    /// The request did not reach the server or its answer could not be read.
    #[error("connection problem: {0}")]
    Connection(String),
}

impl AppError {
    pub fn invalid(field: &str, problem: Problem) -> Self {
        AppError::Invalid(vec![FieldProblem {
            field: field.to_string(),
            problem,
        }])
    }

    /// The problem for one field, if this error names it.
    pub fn problem_for(&self, field: &str) -> Option<Problem> {
        match self {
            AppError::Invalid(list) => list.iter().find(|p| p.field == field).map(|p| p.problem),
            _ => None,
        }
    }
}

impl FromServerFnError for AppError {
    type Encoder = JsonEncoding;

    fn from_server_fn_error(value: ServerFnErrorErr) -> Self {
        from_framework(value)
    }
}

/// On the server this is a request the server function could not read (its arguments did
/// not decode): the client's fault, answered 400 without the decoder's message, which
/// names internal fields. Only failing to encode our own answer is a server fault.
#[cfg(feature = "ssr")]
fn from_framework(value: ServerFnErrorErr) -> AppError {
    let error = match value {
        ServerFnErrorErr::Serialization(_) | ServerFnErrorErr::Response(_) => {
            tracing::error!(error = %value, "cannot encode a server function's answer");
            AppError::Unexpected
        }
        _ => {
            tracing::info!(error = %value, "refused an unreadable server function request");
            AppError::BadRequest
        }
    };
    crate::backend::platform::state::set_api_status(&error);
    error
}

/// In the browser: the request did not get through, or its answer could not be read.
#[cfg(not(feature = "ssr"))]
fn from_framework(value: ServerFnErrorErr) -> AppError {
    AppError::Connection(value.to_string())
}

/// Collects field problems so a form can report all of them at once.
#[derive(Default)]
pub struct Checks(Vec<FieldProblem>);

impl Checks {
    pub fn check<T>(&mut self, field: &str, result: Result<T, Problem>) -> Option<T> {
        match result {
            Ok(value) => Some(value),
            Err(problem) => {
                self.0.push(FieldProblem {
                    field: field.to_string(),
                    problem,
                });
                None
            }
        }
    }

    pub fn finish(self) -> Result<(), AppError> {
        if self.0.is_empty() {
            Ok(())
        } else {
            Err(AppError::Invalid(self.0))
        }
    }
}
