//! The HTTP server on 127.0.0.1: every Meta host under a path prefix, faults applied at the
//! transport, the ledger written for every request, and the `/__sandbox` control endpoints.

use crate::core::{Answer, Core, GraphAnswer};
use crate::errors::GraphError;
use crate::faults::{FaultKind, FaultPlan, FaultRuntime};
use crate::ledger::LedgerEntry;
use crate::limits::{INJECTED_REGAIN_MINUTES, is_buc_code};
use crate::request::ApiRequest;
use crate::tokens::{LoginKind, Revocation, TokenKind};
use bytes::Bytes;
use chrono::{DateTime, Utc};
use http_body_util::{BodyExt, Full, Limited, combinators::BoxBody};
use hyper::body::{Body, Frame, Incoming};
use hyper::server::conn::http1;
use hyper::service::service_fn;
use hyper::{Request, Response};
use hyper_util::rt::TokioIo;
use serde_json::{Value, json};
use std::future::Future;
use std::io;
use std::pin::Pin;
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::task::{Context, Poll};
use tokio::io::{AsyncRead, AsyncWrite, ReadBuf};
use tokio::net::{TcpListener, TcpStream};
use tokio::sync::watch;

/// Request bodies above this are refused (Meta refuses huge bodies too).
const MAX_BODY: usize = 8 * 1024 * 1024;

type ResponseBody = BoxBody<Bytes, io::Error>;

/// A TCP stream that closes with RST (SO_LINGER 0) when a reset fault asked for it.
struct ResettableStream {
    inner: TcpStream,
    reset: Arc<AtomicBool>,
}

impl Drop for ResettableStream {
    fn drop(&mut self) {
        if self.reset.load(Ordering::SeqCst) {
            let _ = socket2::SockRef::from(&self.inner).set_linger(Some(std::time::Duration::ZERO));
        }
    }
}

impl AsyncRead for ResettableStream {
    fn poll_read(
        mut self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        buf: &mut ReadBuf<'_>,
    ) -> Poll<io::Result<()>> {
        Pin::new(&mut self.inner).poll_read(cx, buf)
    }
}

impl AsyncWrite for ResettableStream {
    fn poll_write(
        mut self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        buf: &[u8],
    ) -> Poll<io::Result<usize>> {
        Pin::new(&mut self.inner).poll_write(cx, buf)
    }
    fn poll_flush(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<io::Result<()>> {
        Pin::new(&mut self.inner).poll_flush(cx)
    }
    fn poll_shutdown(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<io::Result<()>> {
        Pin::new(&mut self.inner).poll_shutdown(cx)
    }
}

/// A body that sends its first half, then (after a pause that lets it reach the client) fails:
/// the client sees a connection closed mid-body.
struct TruncatedBody {
    first: Option<Bytes>,
    pause: Pin<Box<tokio::time::Sleep>>,
}

impl Body for TruncatedBody {
    type Data = Bytes;
    type Error = io::Error;

    fn poll_frame(
        mut self: Pin<&mut Self>,
        cx: &mut Context<'_>,
    ) -> Poll<Option<Result<Frame<Bytes>, io::Error>>> {
        if let Some(bytes) = self.first.take() {
            return Poll::Ready(Some(Ok(Frame::data(bytes))));
        }
        match self.pause.as_mut().poll(cx) {
            Poll::Ready(()) => Poll::Ready(Some(Err(io::Error::new(
                io::ErrorKind::ConnectionAborted,
                "truncated by a sandbox fault",
            )))),
            Poll::Pending => Poll::Pending,
        }
    }
}

pub(crate) async fn serve(
    listener: TcpListener,
    core: Arc<Core>,
    mut shutdown: watch::Receiver<bool>,
) {
    loop {
        tokio::select! {
            accepted = listener.accept() => {
                let Ok((stream, _)) = accepted else { continue };
                let _ = stream.set_nodelay(true);
                let core = Arc::clone(&core);
                let mut stop = shutdown.clone();
                tokio::spawn(async move {
                    let reset = Arc::new(AtomicBool::new(false));
                    let io = TokioIo::new(ResettableStream { inner: stream, reset: Arc::clone(&reset) });
                    let service = service_fn(move |request| handle(Arc::clone(&core), request, Arc::clone(&reset)));
                    let connection = http1::Builder::new().keep_alive(true).serve_connection(io, service);
                    tokio::select! {
                        _ = connection => {}
                        _ = stop.changed() => {}
                    }
                });
            }
            _ = shutdown.changed() => break,
        }
    }
}

fn full(body: Vec<u8>) -> ResponseBody {
    Full::new(Bytes::from(body))
        .map_err(|never| match never {})
        .boxed()
}

fn build(answer: Answer) -> Response<ResponseBody> {
    let mut response = Response::new(full(answer.body));
    *response.status_mut() = hyper::StatusCode::from_u16(answer.status)
        .unwrap_or(hyper::StatusCode::INTERNAL_SERVER_ERROR);
    for (name, value) in answer.headers {
        if let (Ok(name), Ok(value)) = (
            hyper::header::HeaderName::from_bytes(name.as_bytes()),
            hyper::header::HeaderValue::from_str(&value),
        ) {
            response.headers_mut().append(name, value);
        }
    }
    response
}

async fn handle(
    core: Arc<Core>,
    request: Request<Incoming>,
    reset: Arc<AtomicBool>,
) -> Result<Response<ResponseBody>, io::Error> {
    let method = request.method().as_str().to_string();
    let path = request.uri().path().to_string();
    let query = request.uri().query().map(str::to_string);
    let header = |name: &str| {
        request
            .headers()
            .get(name)
            .map(|v| String::from_utf8_lossy(v.as_bytes()).into_owned())
    };
    let content_type = header("content-type");
    let authorization = header("authorization");
    let body = match Limited::new(request.into_body(), MAX_BODY).collect().await {
        Ok(collected) => collected.to_bytes(),
        Err(_) => {
            let error = GraphError::param("The request body is too large");
            return Ok(build(Answer::from_graph(&GraphAnswer::error(
                &core, &error,
            ))));
        }
    };
    let api = ApiRequest::parse(
        &method,
        &path,
        query.as_deref(),
        &body,
        content_type.as_deref(),
        authorization.as_deref(),
    );
    if api.host == "__sandbox" {
        return Ok(build(control(&core, &api, &body)));
    }
    let now = core.clock.now();
    let redacted = api.redacted_path();
    let api_host = matches!(
        api.host.as_str(),
        "graph.facebook.com" | "graph.instagram.com" | "api.instagram.com"
    );
    let fault = if api_host {
        core.lock().faults.decide(core.seed, &redacted)
    } else {
        None
    };
    let seq = core.sequence.fetch_add(1, Ordering::Relaxed);
    let mut entry = LedgerEntry {
        seq,
        at: now,
        method: api.method.clone(),
        path: redacted,
        status: 0,
        http_request: true,
        counted_calls: 0,
        fault: fault.as_ref().map(|f| f.label().to_string()),
        app_id: None,
        ig_user_id: None,
        batch_of: None,
    };
    if fault == Some(FaultKind::Reset) {
        entry.counted_calls = u32::from(api.host.starts_with("graph."));
        core.lock().ledger.push(entry);
        reset.store(true, Ordering::SeqCst);
        return Err(io::Error::new(
            io::ErrorKind::ConnectionReset,
            "reset by a sandbox fault",
        ));
    }
    if let Some(FaultKind::Delay(duration)) = &fault {
        tokio::time::sleep(*duration).await;
    }
    let (answer, graph) = dispatch(&core, &api, now, fault.as_ref());
    entry.status = answer.status;
    if let Some(graph) = &graph {
        entry.counted_calls = graph.counted;
        entry.app_id = graph.app_id.clone();
        entry.ig_user_id = graph.ig_user_id.clone();
    } else if api.host == "api.instagram.com" {
        entry.counted_calls = 0;
    }
    {
        let mut state = core.lock();
        state.ledger.push(entry.clone());
        if let Some(graph) = &graph {
            for (method, path, status, ig_user_id) in &graph.batch_items {
                let item_seq = core.sequence.fetch_add(1, Ordering::Relaxed);
                state.ledger.push(LedgerEntry {
                    seq: item_seq,
                    at: now,
                    method: method.clone(),
                    path: path.clone(),
                    status: *status,
                    http_request: false,
                    counted_calls: 1,
                    fault: None,
                    app_id: entry.app_id.clone(),
                    ig_user_id: ig_user_id.clone(),
                    batch_of: Some(seq),
                });
            }
        }
    }
    match fault {
        Some(FaultKind::Truncate) => {
            let half = answer.body.len() / 2;
            let length = answer.body.len();
            let mut truncated = build(Answer {
                body: Vec::new(),
                ..answer.clone()
            });
            let first = Bytes::from(answer.body[..half].to_vec());
            *truncated.body_mut() = TruncatedBody {
                first: Some(first),
                pause: Box::pin(tokio::time::sleep(std::time::Duration::from_millis(50))),
            }
            .boxed();
            if let Ok(value) = hyper::header::HeaderValue::from_str(&length.to_string()) {
                truncated
                    .headers_mut()
                    .insert(hyper::header::CONTENT_LENGTH, value);
            }
            Ok(truncated)
        }
        Some(FaultKind::Malformed) => {
            let mut broken = answer;
            broken.status = 200;
            broken.body =
                b"<html><body>Sorry, something went wrong.</body></html>\n{\"data\":[".to_vec();
            Ok(build(broken))
        }
        _ => Ok(build(answer)),
    }
}

fn not_found(what: &str) -> Answer {
    Answer::text(
        404,
        "text/plain; charset=utf-8",
        format!("{what}\n").into_bytes(),
    )
}

/// Routes a request to its host, applying the faults that replace or alter an answer.
fn dispatch(
    core: &Core,
    api: &ApiRequest,
    now: DateTime<Utc>,
    fault: Option<&FaultKind>,
) -> (Answer, Option<GraphAnswer>) {
    let segments: Vec<&str> = api.segments.iter().map(String::as_str).collect();
    match api.host.as_str() {
        "graph.facebook.com" | "graph.instagram.com" => {
            let graph = match fault {
                // A 500 with Meta's error object came from the Graph API, and is counted.
                Some(FaultKind::ServerError(500)) => {
                    core.injected_error(api, now, &GraphError::unknown_error().status(500), None)
                }
                // Other 5xx are pages from Meta's edge: no Graph answer, no Graph headers.
                Some(FaultKind::ServerError(status)) => {
                    let body = format!(
                        "<html><body><h1>{status}</h1>The server is temporarily unable to service your request.</body></html>"
                    );
                    return (
                        Answer::text(*status, "text/html; charset=utf-8", body.into_bytes()),
                        None,
                    );
                }
                Some(FaultKind::Transient) => {
                    core.injected_error(api, now, &GraphError::transient(), None)
                }
                Some(FaultKind::Throttle(code)) => core.injected_error(
                    api,
                    now,
                    &GraphError::throttled(*code),
                    is_buc_code(*code).then_some(INJECTED_REGAIN_MINUTES),
                ),
                Some(FaultKind::Expire | FaultKind::Invalidate | FaultKind::ThrottleWindow(_)) => {
                    apply_state_fault(core, api, now, fault);
                    core.graph(api, now, false)
                }
                _ => core.graph(api, now, false),
            };
            (Answer::from_graph(&graph), Some(graph))
        }
        host @ ("api.instagram.com" | "www.instagram.com") => {
            let api_host = host == "api.instagram.com";
            match segments.as_slice() {
                ["oauth", "access_token"] if api_host => {
                    (crate::oauth::instagram_code_exchange(core, api, now), None)
                }
                ["oauth", "authorize"] => (
                    crate::oauth::dialog(core, api, LoginKind::Instagram, now),
                    None,
                ),
                ["oauth", "authorize", "confirm"] => (
                    crate::oauth::confirm(core, api, LoginKind::Instagram, now),
                    None,
                ),
                _ if api_host => (
                    Answer::json(
                        400,
                        &crate::errors::flat_oauth_error("Invalid request path"),
                    ),
                    None,
                ),
                _ => (not_found("Sorry, this page isn't available."), None),
            }
        }
        "www.facebook.com" => {
            let rest: &[&str] = match segments
                .first()
                .and_then(|s| crate::catalog::parse_version(s))
            {
                Some(_) => &segments[1..],
                None => &segments,
            };
            match rest {
                ["dialog", "oauth"] => (
                    crate::oauth::dialog(core, api, LoginKind::Facebook, now),
                    None,
                ),
                ["dialog", "oauth", "confirm"] => (
                    crate::oauth::confirm(core, api, LoginKind::Facebook, now),
                    None,
                ),
                ["connect", "login_success.html"] => (
                    Answer::html(
                        200,
                        "<!DOCTYPE html><html><body>Success</body></html>".into(),
                    ),
                    None,
                ),
                _ => (not_found("This content isn't available right now"), None),
            }
        }
        "cdn.instagram.com" => (crate::thumbnails::serve(core, &segments), None),
        _ => (
            not_found(
                "Unknown host: the sandbox serves graph.facebook.com, graph.instagram.com, api.instagram.com, www.facebook.com, www.instagram.com and cdn.instagram.com",
            ),
            None,
        ),
    }
}

/// Faults that change platform state before the call runs normally.
fn apply_state_fault(core: &Core, api: &ApiRequest, now: DateTime<Utc>, fault: Option<&FaultKind>) {
    let Some(token) = api.token() else { return };
    let Some(claims) = core.ids.decode(token) else {
        return;
    };
    let owner = match claims.kind {
        TokenKind::User => (claims.login, claims.subject),
        TokenKind::Page => (claims.login, 0),
    };
    match fault {
        Some(FaultKind::Expire) => {
            core.lock()
                .tokens
                .per_token
                .insert(token.to_string(), (Revocation::Expired, now));
        }
        Some(FaultKind::Invalidate) => {
            core.lock()
                .tokens
                .per_user
                .insert(owner, (Revocation::SessionInvalidated, now));
        }
        Some(FaultKind::ThrottleWindow(duration)) => {
            let until = now
                + chrono::Duration::from_std(*duration)
                    .unwrap_or_else(|_| chrono::Duration::hours(1));
            let world = core.world(now);
            let app = core.ids.app(claims.login).id.clone();
            let Ok((auth, _)) = core.authorize(token, claims.login, now) else {
                return;
            };
            let path: Vec<&str> = api
                .segments
                .iter()
                .map(String::as_str)
                .filter(|s| crate::catalog::parse_version(s).is_none())
                .collect();
            let target = crate::graph::target_account(core, &world, &auth, claims.login, &path);
            let mut state = core.lock();
            match target.and_then(|i| world.accounts.get(i)) {
                Some(account) => state.limits.block_buc(&app, &account.ig_user_id, until),
                None => state.limits.block_platform(&app, until),
            }
        }
        _ => {}
    }
}

/// `/__sandbox/ledger`, `/__sandbox/clock`, `/__sandbox/faults`, `/__sandbox/credentials`:
/// how an out-of-process test steers the sandbox.
fn control(core: &Core, api: &ApiRequest, body: &[u8]) -> Answer {
    let segments: Vec<&str> = api.segments.iter().map(String::as_str).collect();
    let bad = |message: &str| Answer::json(400, &json!({ "error": message }));
    match (api.method.as_str(), segments.as_slice()) {
        ("GET", ["ledger"]) => {
            let state = core.lock();
            Answer::json(
                200,
                &json!({
                    "http_requests": state.ledger.http_requests(),
                    "counted_calls": state.ledger.counted_calls(),
                    "entries": state.ledger.entries(),
                }),
            )
        }
        ("DELETE", ["ledger"]) => {
            core.lock().ledger.clear();
            Answer::json(200, &json!({ "success": true }))
        }
        ("GET", ["clock"]) => Answer::json(200, &json!({ "now": core.clock.now().to_rfc3339() })),
        ("POST", ["clock"]) => {
            let json_body: Option<Value> = serde_json::from_slice(body).ok();
            let field = |name: &str| -> Option<String> {
                api.param(name).map(str::to_string).or_else(|| {
                    json_body.as_ref().and_then(|v| v.get(name)).map(|v| {
                        v.as_str()
                            .map(str::to_string)
                            .unwrap_or_else(|| v.to_string())
                    })
                })
            };
            if let Some(now) = field("now") {
                match crate::time::parse_instant(&now) {
                    Some(at) => core.clock.set(at),
                    None => return bad("now must be an RFC 3339 time"),
                }
            }
            if let Some(advance) = field("advance") {
                match crate::faults::parse_duration(&advance)
                    .and_then(|d| chrono::Duration::from_std(d).ok())
                {
                    Some(by) => core.clock.advance(by),
                    None => return bad("advance must be a duration such as 30s, 15m or 48h"),
                }
            }
            Answer::json(200, &json!({ "now": core.clock.now().to_rfc3339() }))
        }
        ("POST", ["faults"]) => {
            let spec = api
                .param("spec")
                .map(str::to_string)
                .unwrap_or_else(|| String::from_utf8_lossy(body).trim().to_string());
            match FaultPlan::parse(&spec) {
                Ok(plan) => {
                    let rules = plan.rules.len();
                    core.lock().faults = FaultRuntime::new(plan);
                    Answer::json(200, &json!({ "success": true, "rules": rules }))
                }
                Err(error) => bad(&error.to_string()),
            }
        }
        ("GET", ["credentials"]) => Answer::json(
            200,
            &serde_json::to_value(crate::demo_credentials(core)).unwrap_or(Value::Null),
        ),
        _ => not_found(
            "Unknown sandbox control path: use /__sandbox/ledger, /__sandbox/clock, /__sandbox/faults or /__sandbox/credentials",
        ),
    }
}
