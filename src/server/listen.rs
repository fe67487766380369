//! The router on a TCP listener: HTTP/1.1 with keep-alive, and limits so a slow or silent client
//! cannot hold a connection forever. Request headers (and the wait for the next request on a
//! kept-alive connection) must arrive within [`HEADER_TIMEOUT`]; a response the client stops
//! reading is abandoned after [`WRITE_STALL_TIMEOUT`]. No route reads a request body: one that
//! comes anyway is not waited for (the connection closes after the response).

use std::future::Future;
use std::io;
use std::pin::Pin;
use std::task::{Context, Poll};
use std::time::Duration;

use axum::body::{Body, HttpBody};
use axum::http::header::CONTENT_LENGTH;
use axum::http::{HeaderValue, Method, Request};
use axum::response::Response;
use bytes::Bytes;
use futures_util::future::Either;
use hyper::body::Incoming;
use hyper::server::conn::http1;
use hyper::service::service_fn;
use hyper_util::rt::{TokioIo, TokioTimer};
use hyper_util::server::graceful::GracefulShutdown;
use tower::ServiceExt;

use super::AppState;
use tokio::io::{AsyncRead, AsyncWrite, ReadBuf};
use tokio::net::TcpListener;
use tokio::time::{Instant, Sleep};
use tokio_util::sync::CancellationToken;
use tokio_util::task::TaskTracker;
use tracing::{debug, info, warn};

pub const HEADER_TIMEOUT: Duration = Duration::from_secs(10);
pub const WRITE_STALL_TIMEOUT: Duration = Duration::from_secs(30);

/// Serves [`router`](super::router) on `listener` until `shutdown` is cancelled, then stops
/// accepting, lets requests in flight finish for at most `grace`, and returns.
///
/// A `GET` or `HEAD` of a served feed, the request aggregators make all day, is answered
/// straight from the cache with exactly what the router's feed route answers: on Linux by the
/// [`direct`](super::direct) path (bodies by `sendfile(2)`) until a connection sends
/// anything else, then by hyper with [`fast_path`]; every other request goes through the router.
pub async fn serve(listener: TcpListener, state: AppState, shutdown: CancellationToken, grace: Duration) {
    let router = super::router(state.clone());
    let mut builder = http1::Builder::new();
    builder.timer(TokioTimer::new()).header_read_timeout(HEADER_TIMEOUT).keep_alive(true);
    let graceful = GracefulShutdown::new();
    let connections = TaskTracker::new();
    loop {
        let (stream, peer) = tokio::select! {
            () = shutdown.cancelled() => break,
            accepted = listener.accept() => match accepted {
                Ok(accepted) => accepted,
                Err(e) => {
                    // out of file descriptors and the like: back off rather than spin
                    warn!(error = %e, "cannot accept a connection");
                    tokio::time::sleep(Duration::from_millis(100)).await;
                    continue;
                }
            },
        };
        let _ = stream.set_nodelay(true);
        let (state, router, builder) = (state.clone(), router.clone(), builder.clone());
        let (watcher, shutdown) = (graceful.watcher(), shutdown.clone());
        connections.spawn(async move {
            #[cfg(target_os = "linux")]
            let (stream, read) = match super::direct::serve(stream, &state, &shutdown).await {
                super::direct::Ended::Closed => return,
                super::direct::Ended::Handoff { stream, read } => (stream, read),
            };
            #[cfg(not(target_os = "linux"))]
            let (stream, read) = (stream, Bytes::new());
            let _ = &shutdown;
            let io = TokioIo::new(StallGuard::new(Rewind::new(read, stream), WRITE_STALL_TIMEOUT));
            let service = service_fn(move |request: Request<Incoming>| match fast_path(&state, &request) {
                Some(response) => Either::Left(std::future::ready(Ok(response))),
                None => Either::Right(router.clone().oneshot(request.map(Body::new))),
            });
            if let Err(e) = watcher.watch(builder.serve_connection(io, service)).await {
                debug!(%peer, error = %e, "connection ended with an error");
            }
        });
    }
    drop(listener);
    connections.close();
    let all_closed = async {
        graceful.shutdown().await;
        connections.wait().await;
    };
    tokio::select! {
        () = all_closed => debug!("every connection closed"),
        () = tokio::time::sleep(grace) => info!(?grace, "connections still open at the deadline; closing them"),
    }
}

/// The feed route without the router: `None` for anything that is not a `GET` or `HEAD` of a
/// feed in the cache. A HEAD answer keeps the `Content-Length` of the GET and drops the body.
pub fn fast_path<B>(state: &AppState, request: &Request<B>) -> Option<Response> {
    let method = request.method();
    if method != Method::GET && method != Method::HEAD {
        return None;
    }
    let asset = state.cache.feed(request.uri().path().strip_prefix('/')?)?;
    let mut response = asset.respond(request.headers());
    if method == Method::HEAD {
        let length = response.body().size_hint().exact().unwrap_or(0);
        response.headers_mut().insert(CONTENT_LENGTH, HeaderValue::from(length));
        *response.body_mut() = Body::empty();
    }
    state.metrics.http(response.status().as_u16());
    Some(response)
}

/// An I/O stream whose writes fail with `TimedOut` once they have made no progress for `limit`:
/// a client that stops reading a 200 KB feed frees its connection.
struct StallGuard<T> {
    inner: T,
    limit: Duration,
    timer: Pin<Box<Sleep>>,
    stalled: bool,
}

impl<T> StallGuard<T> {
    fn new(inner: T, limit: Duration) -> StallGuard<T> {
        StallGuard { inner, limit, timer: Box::pin(tokio::time::sleep(limit)), stalled: false }
    }

    /// Called when a write is pending: starts the clock, or fails once it ran out.
    fn pending<R>(&mut self, cx: &mut Context<'_>) -> Poll<io::Result<R>> {
        if !self.stalled {
            self.stalled = true;
            self.timer.as_mut().reset(Instant::now() + self.limit);
        }
        match self.timer.as_mut().poll(cx) {
            Poll::Ready(()) => Poll::Ready(Err(io::Error::new(
                io::ErrorKind::TimedOut,
                format!("the client read nothing for {:?}", self.limit),
            ))),
            Poll::Pending => Poll::Pending,
        }
    }

    fn progressed<R>(&mut self, ready: Poll<io::Result<R>>) -> Poll<io::Result<R>> {
        self.stalled = false;
        ready
    }
}

impl<T: AsyncRead + Unpin> AsyncRead for StallGuard<T> {
    fn poll_read(self: Pin<&mut Self>, cx: &mut Context<'_>, buf: &mut ReadBuf<'_>) -> Poll<io::Result<()>> {
        Pin::new(&mut self.get_mut().inner).poll_read(cx, buf)
    }
}

impl<T: AsyncWrite + Unpin> AsyncWrite for StallGuard<T> {
    fn poll_write(self: Pin<&mut Self>, cx: &mut Context<'_>, buf: &[u8]) -> Poll<io::Result<usize>> {
        let this = self.get_mut();
        match Pin::new(&mut this.inner).poll_write(cx, buf) {
            Poll::Pending => this.pending(cx),
            ready => this.progressed(ready),
        }
    }

    fn poll_write_vectored(
        self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        bufs: &[io::IoSlice<'_>],
    ) -> Poll<io::Result<usize>> {
        let this = self.get_mut();
        match Pin::new(&mut this.inner).poll_write_vectored(cx, bufs) {
            Poll::Pending => this.pending(cx),
            ready => this.progressed(ready),
        }
    }

    fn is_write_vectored(&self) -> bool {
        self.inner.is_write_vectored()
    }

    fn poll_flush(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<io::Result<()>> {
        let this = self.get_mut();
        match Pin::new(&mut this.inner).poll_flush(cx) {
            Poll::Pending => this.pending(cx),
            ready => this.progressed(ready),
        }
    }

    fn poll_shutdown(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<io::Result<()>> {
        Pin::new(&mut self.get_mut().inner).poll_shutdown(cx)
    }
}

/// A stream that first yields bytes already read from it: how hyper gets a connection whose
/// first request the direct path read but does not answer.
pub struct Rewind<T> {
    read: Bytes,
    inner: T,
}

impl<T> Rewind<T> {
    pub fn new(read: Bytes, inner: T) -> Rewind<T> {
        Rewind { read, inner }
    }
}

impl<T: AsyncRead + Unpin> AsyncRead for Rewind<T> {
    fn poll_read(self: Pin<&mut Self>, cx: &mut Context<'_>, buf: &mut ReadBuf<'_>) -> Poll<io::Result<()>> {
        let this = self.get_mut();
        if !this.read.is_empty() {
            let n = this.read.len().min(buf.remaining());
            buf.put_slice(&this.read.split_to(n));
            return Poll::Ready(Ok(()));
        }
        Pin::new(&mut this.inner).poll_read(cx, buf)
    }
}

impl<T: AsyncWrite + Unpin> AsyncWrite for Rewind<T> {
    fn poll_write(self: Pin<&mut Self>, cx: &mut Context<'_>, buf: &[u8]) -> Poll<io::Result<usize>> {
        Pin::new(&mut self.get_mut().inner).poll_write(cx, buf)
    }

    fn poll_write_vectored(
        self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        bufs: &[io::IoSlice<'_>],
    ) -> Poll<io::Result<usize>> {
        Pin::new(&mut self.get_mut().inner).poll_write_vectored(cx, bufs)
    }

    fn is_write_vectored(&self) -> bool {
        self.inner.is_write_vectored()
    }

    fn poll_flush(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<io::Result<()>> {
        Pin::new(&mut self.get_mut().inner).poll_flush(cx)
    }

    fn poll_shutdown(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<io::Result<()>> {
        Pin::new(&mut self.get_mut().inner).poll_shutdown(cx)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[tokio::test(start_paused = true)]
    async fn a_write_that_never_progresses_fails_after_the_limit() {
        // a duplex pipe of 16 bytes nobody reads: the second write stays pending
        let (client, _server_keeps_pipe_open) = tokio::io::duplex(16);
        let mut guarded = StallGuard::new(client, Duration::from_secs(30));
        use tokio::io::AsyncWriteExt;
        guarded.write_all(&[b'x'; 16]).await.unwrap();
        let started = Instant::now();
        let err = guarded.write_all(b"Tin moi").await.unwrap_err();
        assert_eq!(err.kind(), io::ErrorKind::TimedOut);
        assert_eq!(started.elapsed(), Duration::from_secs(30));
    }
}
