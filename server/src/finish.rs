//! Every request, once begun, runs to its end, even if the browser goes away halfway (a
//! phone that navigates on, a reload, a closed tab).
//!
//! Leptos keeps a page's reactive owner in the handler's future and then in the answer's
//! body. Dropped while parts of the page still load in tasks of their own, those parts
//! lose their context and panic ("reactive value … disposed", "I18n context is
//! missing"), and can deadlock a worker thread: in reactive_graph 0.2.16 a context lookup
//! that drops the last handle of a parent owner cleans up the child it holds a read lock
//! on. A form post cut off halfway would also stop between its steps. So each request
//! runs in a task of its own, and a page's body left unread is rendered to its end and
//! thrown away. At most [`AT_ONCE`] requests run at a time per instance; the rest wait
//! in turn (and cost nothing if their browser leaves while they wait), so requests that
//! are left halfway cannot pile up work without bound.

use axum::body::{Body, BodyDataStream, Bytes};
use axum::extract::Request;
use axum::middleware::Next;
use axum::response::Response;
use futures::{Stream, StreamExt};
use std::pin::Pin;
use std::sync::Arc;
use std::task::{Context, Poll};
use tokio::sync::Semaphore;

/// Requests one instance works on at once. A page takes about a millisecond of CPU, so
/// this is far more than two cores finish in the time a browser waits.
pub const AT_ONCE: usize = 128;

/// The places for requests at work.
#[derive(Clone)]
pub struct Running(Arc<Semaphore>);

impl Running {
    pub fn new(at_once: usize) -> Self {
        Self(Arc::new(Semaphore::new(at_once)))
    }
}

/// The middleware: waits for a place, then runs the request in its own task, which ends
/// when the answer is ready whether or not anyone still waits for it.
pub async fn to_the_end(running: Running, request: Request, next: Next) -> Response {
    let Ok(place) = running.0.acquire_owned().await else {
        // The semaphore is never closed; if it were, work without a bound.
        return finish_body(next.run(request).await);
    };
    let task = tokio::spawn(async move {
        let response = finish_body(next.run(request).await);
        drop(place);
        response
    });
    match task.await {
        Ok(response) => response,
        // A panic goes on to the panic layer outside, which answers 500 and logs it.
        Err(e) if e.is_panic() => std::panic::resume_unwind(e.into_panic()),
        Err(_) => Response::builder()
            .status(axum::http::StatusCode::SERVICE_UNAVAILABLE)
            .body(Body::empty())
            .unwrap_or_default(),
    }
}

/// A page's body (HTML, rendered while it streams) reads itself to the end if dropped
/// unread; other bodies (files, data) are left as they are.
fn finish_body(response: Response) -> Response {
    let html = response
        .headers()
        .get(axum::http::header::CONTENT_TYPE)
        .is_some_and(|t| t.as_bytes().starts_with(b"text/html"));
    if !html {
        return response;
    }
    let (parts, body) = response.into_parts();
    let stream = ToTheEnd {
        rest: Some(body.into_data_stream()),
    };
    Response::from_parts(parts, Body::from_stream(stream))
}

/// A body that, when dropped before its end, reads the rest in a task of its own.
struct ToTheEnd {
    rest: Option<BodyDataStream>,
}

impl Stream for ToTheEnd {
    type Item = Result<Bytes, axum::Error>;

    fn poll_next(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Option<Self::Item>> {
        let Some(rest) = self.rest.as_mut() else {
            return Poll::Ready(None);
        };
        let next = Pin::new(rest).poll_next(cx);
        if let Poll::Ready(None) = next {
            self.rest = None;
        }
        next
    }
}

impl Drop for ToTheEnd {
    fn drop(&mut self) {
        if let (Some(mut rest), Ok(runtime)) =
            (self.rest.take(), tokio::runtime::Handle::try_current())
        {
            runtime.spawn(async move { while rest.next().await.is_some() {} });
        }
    }
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
    use super::*;
    use axum::http::{header::CONTENT_TYPE, StatusCode};
    use axum::routing::get;
    use axum::Router;
    use std::sync::atomic::{AtomicUsize, Ordering};
    use std::time::Duration;
    use tower::ServiceExt;

    fn with_places(at_once: usize, router: Router) -> Router {
        let running = Running::new(at_once);
        router.layer(axum::middleware::from_fn(move |request, next| {
            to_the_end(running.clone(), request, next)
        }))
    }

    fn counter() -> Arc<AtomicUsize> {
        Arc::new(AtomicUsize::new(0))
    }

    async fn settle() {
        tokio::time::sleep(Duration::from_millis(300)).await;
    }

    #[tokio::test]
    async fn a_request_left_before_its_answer_still_runs_to_its_end() {
        let done = counter();
        let seen = done.clone();
        let app = with_places(
            4,
            Router::new().route(
                "/",
                get(move || async move {
                    tokio::time::sleep(Duration::from_millis(100)).await;
                    seen.fetch_add(1, Ordering::SeqCst);
                    "klaar"
                }),
            ),
        );
        let call = app.oneshot(Request::new(Body::empty()));
        assert!(
            tokio::time::timeout(Duration::from_millis(10), call)
                .await
                .is_err(),
            "the caller left before the answer"
        );
        settle().await;
        assert_eq!(done.load(Ordering::SeqCst), 1);
    }

    /// A body of two parts, the second made only when it is read; counts that.
    fn two_parts(content_type: &'static str, made: Arc<AtomicUsize>) -> Router {
        Router::new().route(
            "/",
            get(move || async move {
                let first = futures::stream::once(async { Ok::<_, std::io::Error>("<p>1</p>") });
                let second = futures::stream::once(async move {
                    tokio::time::sleep(Duration::from_millis(20)).await;
                    made.fetch_add(1, Ordering::SeqCst);
                    Ok("<p>2</p>")
                });
                (
                    [(CONTENT_TYPE, content_type)],
                    Body::from_stream(first.chain(second)),
                )
            }),
        )
    }

    async fn read_first_part_and_leave(app: Router) {
        let response = app.oneshot(Request::new(Body::empty())).await.unwrap();
        let mut body = response.into_body().into_data_stream();
        assert_eq!(body.next().await.unwrap().unwrap(), "<p>1</p>");
    }

    #[tokio::test]
    async fn a_page_left_halfway_is_rendered_to_its_end_other_bodies_are_not() {
        let made = counter();
        read_first_part_and_leave(with_places(
            4,
            two_parts("text/html; charset=utf-8", made.clone()),
        ))
        .await;
        settle().await;
        assert_eq!(made.load(Ordering::SeqCst), 1, "the page's rest was made");

        let made = counter();
        read_first_part_and_leave(with_places(4, two_parts("text/csv", made.clone()))).await;
        settle().await;
        assert_eq!(made.load(Ordering::SeqCst), 0, "a download left is left");
    }

    #[tokio::test]
    async fn requests_beyond_the_places_wait_and_cost_nothing_if_left_while_waiting() {
        let (started, busy, most) = (counter(), counter(), counter());
        let app = {
            let (started, busy, most) = (started.clone(), busy.clone(), most.clone());
            with_places(
                1,
                Router::new().route(
                    "/",
                    get(move || async move {
                        started.fetch_add(1, Ordering::SeqCst);
                        let now = busy.fetch_add(1, Ordering::SeqCst) + 1;
                        most.fetch_max(now, Ordering::SeqCst);
                        tokio::time::sleep(Duration::from_millis(50)).await;
                        busy.fetch_sub(1, Ordering::SeqCst);
                    }),
                ),
            )
        };
        let all = (0..3).map(|_| app.clone().oneshot(Request::new(Body::empty())));
        for answer in futures::future::join_all(all).await {
            assert_eq!(answer.unwrap().status(), StatusCode::OK);
        }
        assert_eq!(started.load(Ordering::SeqCst), 3);
        assert_eq!(most.load(Ordering::SeqCst), 1, "one at a time");

        let first = tokio::spawn(app.clone().oneshot(Request::new(Body::empty())));
        tokio::time::sleep(Duration::from_millis(10)).await;
        let waiting = app.oneshot(Request::new(Body::empty()));
        assert!(tokio::time::timeout(Duration::from_millis(10), waiting)
            .await
            .is_err());
        first.await.unwrap().unwrap();
        settle().await;
        assert_eq!(
            started.load(Ordering::SeqCst),
            4,
            "the one left waiting never ran"
        );
    }

    #[tokio::test]
    async fn a_panic_reaches_the_panic_layer_outside() {
        let app = with_places(
            4,
            Router::new().route(
                "/",
                get(|| async {
                    if true {
                        panic!("kapot");
                    }
                    "heel"
                }),
            ),
        )
        .layer(tower_http::catch_panic::CatchPanicLayer::new());
        let answer = app.oneshot(Request::new(Body::empty())).await.unwrap();
        assert_eq!(answer.status(), StatusCode::INTERNAL_SERVER_ERROR);
    }
}
