//! Bounds on what one client can hold: open connections per address, the time a request body
//! may take to arrive, evidence uploads under way at once.

use std::cell::Cell;
use std::collections::HashMap;
use std::future::Future;
use std::net::IpAddr;
use std::pin::Pin;
use std::rc::Rc;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};
use std::task::{Context, Poll};
use std::time::Duration;

use actix_web::dev::{Payload, ServiceRequest};
use actix_web::error::PayloadError;
use actix_web::rt::time::{sleep, Sleep};
use actix_web::web::Bytes;
use actix_web::HttpMessage;
use futures_util::Stream;

/// Counts open connections by client address; see [`ConnectionCap::admit`].
#[derive(Debug, Clone)]
pub struct ConnectionCap {
    max: usize,
    open: Arc<Mutex<HashMap<IpAddr, usize>>>,
}

/// A connection's place under the cap, kept with the connection and released when it closes.
#[derive(Debug)]
pub struct ConnectionSlot {
    address: IpAddr,
    /// The address held the most connections already when this one opened: it is refused.
    pub over: bool,
    open: Arc<Mutex<HashMap<IpAddr, usize>>>,
}

impl ConnectionCap {
    /// At most `max` connections per address; 0 is no cap.
    pub fn new(max: usize) -> Self {
        Self {
            max,
            open: Arc::default(),
        }
    }

    /// Counts a new connection from `address`; one over the cap is marked and not counted.
    pub fn admit(&self, address: IpAddr) -> ConnectionSlot {
        let mut over = false;
        if let Ok(mut open) = self.open.lock() {
            let count = open.entry(address).or_insert(0);
            if self.max > 0 && *count >= self.max {
                over = true;
            } else {
                *count += 1;
            }
        }
        ConnectionSlot {
            address,
            over,
            open: self.open.clone(),
        }
    }
}

impl Drop for ConnectionSlot {
    fn drop(&mut self) {
        if self.over {
            return;
        }
        if let Ok(mut open) = self.open.lock() {
            if let Some(count) = open.get_mut(&self.address) {
                *count = count.saturating_sub(1);
                if *count == 0 {
                    open.remove(&self.address);
                }
            }
        }
    }
}

/// Evidence uploads under way, at most a fixed number.
#[derive(Debug)]
pub struct UploadSlots {
    max: usize,
    taken: Arc<AtomicUsize>,
}

/// One upload's slot, given back when dropped.
#[derive(Debug)]
pub struct UploadSlot(Arc<AtomicUsize>);

impl UploadSlots {
    pub fn new(max: usize) -> Self {
        Self {
            max,
            taken: Arc::default(),
        }
    }

    /// A slot, or `None` while every one is taken (the caller answers 503 rather than wait).
    pub fn try_acquire(&self) -> Option<UploadSlot> {
        self.taken
            .fetch_update(Ordering::AcqRel, Ordering::Acquire, |n| {
                (n < self.max).then_some(n + 1)
            })
            .ok()
            .map(|_| UploadSlot(self.taken.clone()))
    }
}

impl Drop for UploadSlot {
    fn drop(&mut self) {
        self.0.fetch_sub(1, Ordering::AcqRel);
    }
}

/// Gives the request's body `limit` to arrive from now; answers the flag that says whether
/// it ran out (the request is then answered 408 whatever its handler made of the error).
pub fn body_deadline(req: &mut ServiceRequest, limit: Duration) -> Rc<Cell<bool>> {
    let expired = Rc::new(Cell::new(false));
    let inner = req.take_payload();
    let stream = Deadline {
        inner,
        sleep: Box::pin(sleep(limit)),
        expired: expired.clone(),
        done: false,
    };
    req.set_payload(Payload::from(
        Box::pin(stream) as Pin<Box<dyn Stream<Item = Result<Bytes, PayloadError>>>>
    ));
    expired
}

struct Deadline {
    inner: Payload,
    sleep: Pin<Box<Sleep>>,
    expired: Rc<Cell<bool>>,
    done: bool,
}

impl Stream for Deadline {
    type Item = Result<Bytes, PayloadError>;

    fn poll_next(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Option<Self::Item>> {
        if self.done {
            return Poll::Ready(None);
        }
        // Checked first: a body that trickles in never leaves the inner stream pending.
        if self.sleep.as_mut().poll(cx).is_ready() {
            self.done = true;
            self.expired.set(true);
            return Poll::Ready(Some(Err(PayloadError::Io(std::io::Error::new(
                std::io::ErrorKind::TimedOut,
                "the request body did not arrive in time",
            )))));
        }
        let polled = Pin::new(&mut self.inner).poll_next(cx);
        if let Poll::Ready(None) = polled {
            self.done = true;
        }
        polled
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_address_holds_at_most_the_cap_and_a_closed_connection_frees_its_place() {
        let cap = ConnectionCap::new(2);
        let (a, b): (IpAddr, IpAddr) = ("10.0.0.1".parse().unwrap(), "10.0.0.2".parse().unwrap());
        let first = cap.admit(a);
        let second = cap.admit(a);
        let third = cap.admit(a);
        assert!(!first.over && !second.over && third.over);
        assert!(!cap.admit(b).over, "another address has places of its own");
        drop(third);
        assert!(cap.admit(a).over, "a refused connection frees no place");
        drop(first);
        assert!(!cap.admit(a).over);
        let unlimited = ConnectionCap::new(0);
        let held: Vec<_> = (0..1000).map(|_| unlimited.admit(a)).collect();
        assert!(held.iter().all(|s| !s.over));
    }

    #[test]
    fn upload_slots_are_bounded_and_given_back() {
        let slots = UploadSlots::new(1);
        let first = slots.try_acquire();
        assert!(first.is_some());
        assert!(slots.try_acquire().is_none());
        drop(first);
        assert!(slots.try_acquire().is_some());
    }
}
