//! Reading a `multipart/form-data` body to its end: the extractor every upload takes.

use std::cell::Cell;
use std::future::Future;
use std::pin::Pin;
use std::rc::Rc;
use std::task::{Context, Poll};

use actix_multipart::Multipart;
use actix_web::dev::Payload;
use actix_web::error::PayloadError;
use actix_web::http::header::HeaderMap;
use actix_web::web::Bytes;
use actix_web::{FromRequest, HttpRequest};
use futures_util::Stream;

use crate::error::{AppError, ErrorCode};

/// A `multipart/form-data` body that is refused (400 `invalid_multipart`) once the request's
/// body has ended and the parser still waits for more: actix-multipart 0.7 waits forever for
/// a part that the body cuts off right after a line break, without its closing boundary.
pub struct Form {
    multipart: Multipart,
    ended: Rc<Cell<bool>>,
}

/// Lets a reader wait for other work than the body (a file write on a blocking thread) without
/// being taken for a reader stuck on a body that has ended.
#[derive(Clone)]
pub struct OffBody(Rc<Cell<bool>>);

impl OffBody {
    /// Awaits `work`, which does not wait for the body.
    pub async fn wait<T>(&self, work: impl Future<Output = T>) -> T {
        let _waiting = Waiting::new(&self.0);
        work.await
    }
}

/// Marks the reader as waiting off the body for as long as it lives.
struct Waiting<'a>(&'a Cell<bool>);

impl<'a> Waiting<'a> {
    fn new(off: &'a Cell<bool>) -> Self {
        off.set(true);
        Self(off)
    }
}

impl Drop for Waiting<'_> {
    fn drop(&mut self) {
        self.0.set(false);
    }
}

impl Form {
    pub fn new<S>(headers: &HeaderMap, body: S) -> Self
    where
        S: Stream<Item = Result<Bytes, PayloadError>> + Unpin + 'static,
    {
        let ended = Rc::new(Cell::new(false));
        let body = Ended {
            body,
            ended: ended.clone(),
        };
        Self {
            multipart: Multipart::new(headers, body),
            ended,
        }
    }

    /// Runs `read` over the parts, refusing the body if it ends while `read` still waits.
    pub async fn read<F, T>(self, read: impl FnOnce(Multipart) -> F) -> Result<T, AppError>
    where
        F: Future<Output = Result<T, AppError>>,
    {
        self.read_with(|parts, _| read(parts)).await
    }

    /// [`Form::read`] for a reader that also waits for other work, through the [`OffBody`] it
    /// is given.
    pub async fn read_with<F, T>(
        self,
        read: impl FnOnce(Multipart, OffBody) -> F,
    ) -> Result<T, AppError>
    where
        F: Future<Output = Result<T, AppError>>,
    {
        let off_body = OffBody(Rc::new(Cell::new(false)));
        Stuck {
            reading: Box::pin(read(self.multipart, off_body.clone())),
            ended: self.ended,
            off_body,
        }
        .await
    }
}

impl FromRequest for Form {
    type Error = actix_web::Error;
    type Future = std::future::Ready<Result<Self, Self::Error>>;

    fn from_request(req: &HttpRequest, payload: &mut Payload) -> Self::Future {
        std::future::ready(Ok(Self::new(req.headers(), payload.take())))
    }
}

/// The body, noting when it has ended.
struct Ended<S> {
    body: S,
    ended: Rc<Cell<bool>>,
}

impl<S: Stream<Item = Result<Bytes, PayloadError>> + Unpin> Stream for Ended<S> {
    type Item = S::Item;

    fn poll_next(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Option<Self::Item>> {
        let this = self.get_mut();
        let next = Pin::new(&mut this.body).poll_next(cx);
        if let Poll::Ready(None) = next {
            this.ended.set(true);
        }
        next
    }
}

/// Reading that waits after the body has ended waits for nothing: nothing will wake it.
struct Stuck<F> {
    reading: Pin<Box<F>>,
    ended: Rc<Cell<bool>>,
    off_body: OffBody,
}

impl<F: Future<Output = Result<T, AppError>>, T> Future for Stuck<F> {
    type Output = F::Output;

    fn poll(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Self::Output> {
        match self.reading.as_mut().poll(cx) {
            Poll::Pending if self.ended.get() && !self.off_body.0.get() => {
                Poll::Ready(Err(AppError::BadRequest {
                    code: ErrorCode::InvalidMultipart,
                    message: "the multipart body could not be read: it ends inside a part".into(),
                }))
            }
            other => other,
        }
    }
}
