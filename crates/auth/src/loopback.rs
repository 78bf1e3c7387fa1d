//! The loopback receiver: the one place Meta's answer reaches the desktop.
//!
//! The browser is sent back to `http://localhost:PORT/callback?code=…&state=…` (or, through
//! the broker, `http://127.0.0.1:PORT/callback`). The receiver listens on 127.0.0.1 only,
//! accepts exactly one `GET /callback` whose `state` matches (compared in constant time),
//! answers a small page that says the tab can be closed, and answers everything else with a
//! proper HTTP error: other paths (404), other methods (405), a wrong or missing `state`
//! (400), a request after the one it took (410), an oversized request (431), garbage (400), a
//! client that sends nothing (408).
//!
//! [`parse_request`] and [`judge`] are pure functions over bytes and values so they can be
//! fuzzed; the socket code around them only moves bytes.

use std::collections::HashMap;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use insightdesk_secret::Sensitive;
use subtle::ConstantTimeEq;
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::{TcpListener, TcpStream};
use tokio::sync::{Semaphore, oneshot};
use tokio::task::JoinHandle;

use crate::error::AuthError;

/// The path Meta (or the broker) sends the browser back to.
pub const CALLBACK_PATH: &str = "/callback";

/// The largest request head the receiver reads. A real callback is well under 2 KiB.
pub const MAX_REQUEST_BYTES: usize = 8 * 1024;

/// At most this many header lines.
const MAX_HEADERS: usize = 64;

/// How long one connection may take to send its request (browsers open idle connections
/// speculatively; those must not hold the receiver).
const READ_TIMEOUT: Duration = Duration::from_secs(10);

/// Connections served at the same time.
const MAX_CONNECTIONS: usize = 16;

/// The exact redirect URI to register in a Meta app for the loopback flow on `port`.
/// Facebook Login allows `http://localhost` redirects in Development mode; the URI sent to the
/// dialog must match the registered one exactly, so this function is the only spelling.
pub fn redirect_uri(port: u16) -> String {
    format!("http://localhost:{port}{CALLBACK_PATH}")
}

/// A parsed HTTP/1.x request head.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RequestHead {
    pub method: String,
    /// The request target as sent (origin form: path and query).
    pub target: String,
    pub version: String,
    pub headers: Vec<(String, String)>,
}

/// Why bytes are not an acceptable request head.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum RequestError {
    /// Longer than [`MAX_REQUEST_BYTES`] (or more than 64 headers).
    TooLarge,
    /// Not HTTP/1.x.
    Malformed(&'static str),
}

fn is_token_char(c: u8) -> bool {
    c.is_ascii_alphanumeric() || b"!#$%&'*+-.^_`|~".contains(&c)
}

/// Reads an HTTP/1.x request head from the bytes received so far: `Ok(None)` while the head
/// is incomplete (and still within the size limit), `Ok(Some(head))` once `\r\n\r\n` arrived,
/// `Err` for anything that can never become an acceptable request. Never panics.
pub fn parse_request(bytes: &[u8]) -> Result<Option<RequestHead>, RequestError> {
    let end = bytes.windows(4).position(|w| w == b"\r\n\r\n");
    let Some(end) = end else {
        return if bytes.len() >= MAX_REQUEST_BYTES {
            Err(RequestError::TooLarge)
        } else if bytes.contains(&0) {
            Err(RequestError::Malformed("a NUL byte in the request"))
        } else {
            Ok(None)
        };
    };
    if end + 4 > MAX_REQUEST_BYTES {
        return Err(RequestError::TooLarge);
    }
    let head = std::str::from_utf8(&bytes[..end])
        .map_err(|_| RequestError::Malformed("the request head is not UTF-8"))?;
    let mut lines = head.split("\r\n");
    let request_line = lines.next().unwrap_or_default();
    let mut parts = request_line.split(' ');
    let (Some(method), Some(target), Some(version), None) =
        (parts.next(), parts.next(), parts.next(), parts.next())
    else {
        return Err(RequestError::Malformed(
            "the request line is not METHOD TARGET VERSION",
        ));
    };
    if method.is_empty() || !method.bytes().all(is_token_char) {
        return Err(RequestError::Malformed("the method is not a token"));
    }
    if !target.starts_with('/') || !target.bytes().all(|b| b.is_ascii_graphic()) {
        return Err(RequestError::Malformed("the target is not a path"));
    }
    if version != "HTTP/1.1" && version != "HTTP/1.0" {
        return Err(RequestError::Malformed(
            "the version is not HTTP/1.0 or 1.1",
        ));
    }
    let mut headers = Vec::new();
    for line in lines {
        if headers.len() == MAX_HEADERS {
            return Err(RequestError::TooLarge);
        }
        let Some((name, value)) = line.split_once(':') else {
            return Err(RequestError::Malformed("a header line has no colon"));
        };
        if name.is_empty() || !name.bytes().all(is_token_char) {
            return Err(RequestError::Malformed("a header name is not a token"));
        }
        if value.chars().any(|c| c.is_control() && c != '\t') {
            return Err(RequestError::Malformed(
                "a header value has control characters",
            ));
        }
        headers.push((name.to_ascii_lowercase(), value.trim().to_owned()));
    }
    Ok(Some(RequestHead {
        method: method.to_owned(),
        target: target.to_owned(),
        version: version.to_owned(),
        headers,
    }))
}

/// What the callback carried, once its `state` matched.
#[derive(Debug)]
pub enum CallbackOutcome {
    /// The authorization code, with Instagram's `#_` suffix removed.
    Code(Sensitive<String>),
    /// `error=access_denied`: the user pressed Deny.
    Declined,
    /// Another `error=…` from Meta.
    Refused { error: String, description: String },
}

/// The receiver's answer to one request.
#[derive(Debug)]
pub enum Verdict {
    /// The callback this sign-in waits for.
    Accept(CallbackOutcome),
    /// An HTTP error answer; the receiver keeps waiting.
    Reject { status: u16, reason: &'static str },
}

/// Instagram's redirect appends `#_` (Facebook's `#_=_`); browsers keep fragments to
/// themselves, but a code pasted or forwarded by hand may still carry one.
pub fn strip_fragment(code: &str) -> &str {
    code.split('#').next().unwrap_or(code).trim()
}

/// Decides what to do with a parsed request, given the `state` this sign-in sent. Pure.
pub fn judge(head: &RequestHead, expected_state: &Sensitive<String>) -> Verdict {
    let reject = |status, reason| Verdict::Reject { status, reason };
    let (path, query) = head
        .target
        .split_once('?')
        .unwrap_or((head.target.as_str(), ""));
    if path != CALLBACK_PATH {
        return reject(404, "There is nothing here.");
    }
    if head.method != "GET" {
        return reject(405, "Only GET is answered here.");
    }
    let mut params: HashMap<String, String> = HashMap::new();
    for (name, value) in url::form_urlencoded::parse(query.as_bytes()) {
        if params
            .insert(name.into_owned(), value.into_owned())
            .is_some()
        {
            return reject(400, "A parameter was sent twice.");
        }
    }
    let Some(state) = params.get("state") else {
        return reject(
            400,
            "This answer has no sign-in state, so it cannot belong to the sign-in Insightdesk started.",
        );
    };
    let matches: bool = state
        .as_bytes()
        .ct_eq(expected_state.expose().as_bytes())
        .into();
    if !matches {
        return reject(
            400,
            "This answer does not belong to the sign-in Insightdesk started (its state does not match).",
        );
    }
    if let Some(error) = params.get("error") {
        if error == "access_denied" {
            return Verdict::Accept(CallbackOutcome::Declined);
        }
        let description = params
            .get("error_description")
            .or(params.get("error_reason"))
            .cloned()
            .unwrap_or_default();
        return Verdict::Accept(CallbackOutcome::Refused {
            error: insightdesk_secret::redact_pairs(error),
            description: insightdesk_secret::redact_pairs(&description),
        });
    }
    match params.get("code").map(|c| strip_fragment(c)) {
        Some(code) if !code.is_empty() => {
            Verdict::Accept(CallbackOutcome::Code(Sensitive::new(code.to_owned())))
        }
        _ => reject(400, "This answer carries neither a code nor an error."),
    }
}

fn reason_phrase(status: u16) -> &'static str {
    match status {
        200 => "OK",
        400 => "Bad Request",
        404 => "Not Found",
        405 => "Method Not Allowed",
        408 => "Request Timeout",
        410 => "Gone",
        431 => "Request Header Fields Too Large",
        _ => "Error",
    }
}

/// A complete HTTP response with a small HTML page.
fn response(status: u16, title: &str, message: &str) -> Vec<u8> {
    let body = format!(
        "<!DOCTYPE html><html><head><meta charset=\"utf-8\"><title>{title}</title></head>\
         <body style=\"font-family:sans-serif;max-width:36em;margin:4em auto\"><h1>{title}</h1><p>{message}</p></body></html>\n"
    );
    let allow = if status == 405 { "Allow: GET\r\n" } else { "" };
    let mut out = format!(
        "HTTP/1.1 {status} {}\r\nContent-Type: text/html; charset=utf-8\r\nContent-Length: {}\r\nCache-Control: no-store\r\nReferrer-Policy: no-referrer\r\nX-Content-Type-Options: nosniff\r\n{allow}Connection: close\r\n\r\n",
        reason_phrase(status),
        body.len()
    )
    .into_bytes();
    out.extend_from_slice(body.as_bytes());
    out
}

fn page_for(outcome: &CallbackOutcome) -> Vec<u8> {
    match outcome {
        CallbackOutcome::Code(_) => response(
            200,
            "Signed in",
            "Insightdesk received Meta's answer. You can close this tab and return to Insightdesk.",
        ),
        CallbackOutcome::Declined => response(
            200,
            "Sign-in declined",
            "You declined, so nothing was shared with Insightdesk. You can close this tab.",
        ),
        CallbackOutcome::Refused { .. } => response(
            200,
            "Sign-in not completed",
            "Meta did not complete the sign-in. You can close this tab; Insightdesk shows what happened.",
        ),
    }
}

struct Shared {
    state: Sensitive<String>,
    sender: Option<oneshot::Sender<CallbackOutcome>>,
}

/// A listener on `127.0.0.1:PORT` waiting for one callback. Dropping it stops listening.
#[derive(Debug)]
pub struct LoopbackReceiver {
    port: u16,
    result: oneshot::Receiver<CallbackOutcome>,
    task: JoinHandle<()>,
}

impl Drop for LoopbackReceiver {
    fn drop(&mut self) {
        self.task.abort();
    }
}

impl LoopbackReceiver {
    /// Listens on 127.0.0.1 (never another interface) at `port`; 0 picks a free port.
    pub async fn bind(port: u16, state: Sensitive<String>) -> Result<Self, AuthError> {
        let listener =
            TcpListener::bind(("127.0.0.1", port))
                .await
                .map_err(|e| match e.kind() {
                    std::io::ErrorKind::AddrInUse => AuthError::PortBusy { port },
                    _ => AuthError::Listen {
                        port,
                        reason: e.to_string(),
                    },
                })?;
        let port = listener
            .local_addr()
            .map_err(|e| AuthError::Listen {
                port,
                reason: e.to_string(),
            })?
            .port();
        let (sender, result) = oneshot::channel();
        let shared = Arc::new(Mutex::new(Shared {
            state,
            sender: Some(sender),
        }));
        let task = tokio::spawn(accept_loop(listener, shared));
        log::info!("waiting for Meta's answer on 127.0.0.1:{port}");
        Ok(Self { port, result, task })
    }

    /// The port actually listened on.
    pub fn port(&self) -> u16 {
        self.port
    }

    /// Waits for the one accepted callback, at most `timeout`.
    pub async fn wait(&mut self, timeout: Duration) -> Result<Sensitive<String>, AuthError> {
        let outcome = match tokio::time::timeout(timeout, &mut self.result).await {
            Err(_) => {
                return Err(AuthError::TimedOut {
                    seconds: u64::try_from(timeout.as_millis().div_ceil(1000)).unwrap_or(u64::MAX),
                });
            }
            Ok(Err(_)) => return Err(AuthError::Cancelled),
            Ok(Ok(outcome)) => outcome,
        };
        match outcome {
            CallbackOutcome::Code(code) => Ok(code),
            CallbackOutcome::Declined => Err(AuthError::Declined),
            CallbackOutcome::Refused { error, description } => {
                Err(AuthError::Refused { error, description })
            }
        }
    }
}

async fn accept_loop(listener: TcpListener, shared: Arc<Mutex<Shared>>) {
    let slots = Arc::new(Semaphore::new(MAX_CONNECTIONS));
    loop {
        let Ok((stream, peer)) = listener.accept().await else {
            continue;
        };
        // Bound to 127.0.0.1, so only this computer can connect; no other check is possible.
        let Ok(permit) = Arc::clone(&slots).try_acquire_owned() else {
            log::warn!("loopback receiver: too many connections; dropping one from {peer}");
            continue;
        };
        let shared = Arc::clone(&shared);
        tokio::spawn(async move {
            serve_connection(stream, &shared).await;
            drop(permit);
        });
    }
}

/// Reads one request head: `Ok(bytes)` or the error answer to send.
async fn read_head(stream: &mut TcpStream) -> Result<RequestHead, Vec<u8>> {
    let mut buffer = Vec::with_capacity(1024);
    let mut chunk = [0u8; 1024];
    let deadline = tokio::time::Instant::now() + READ_TIMEOUT;
    loop {
        match parse_request(&buffer) {
            Ok(Some(head)) => return Ok(head),
            Ok(None) => {}
            Err(RequestError::TooLarge) => {
                return Err(response(
                    431,
                    "Request too large",
                    "This request is larger than a sign-in answer can be.",
                ));
            }
            Err(RequestError::Malformed(_)) => {
                return Err(response(400, "Bad request", "This is not an HTTP request."));
            }
        }
        let read = tokio::time::timeout_at(deadline, stream.read(&mut chunk)).await;
        match read {
            Ok(Ok(0)) | Ok(Err(_)) => return Err(Vec::new()),
            Ok(Ok(n)) => buffer.extend_from_slice(&chunk[..n]),
            Err(_) => {
                return Err(response(
                    408,
                    "Request timeout",
                    "The request did not arrive in time.",
                ));
            }
        }
    }
}

async fn serve_connection(mut stream: TcpStream, shared: &Mutex<Shared>) {
    let answer = match read_head(&mut stream).await {
        Err(answer) => answer,
        Ok(head) => {
            let Ok(mut shared) = shared.lock() else {
                return;
            };
            if shared.sender.is_none() {
                log::warn!("loopback receiver: answered 410 to a request after the callback");
                response(
                    410,
                    "Sign-in already finished",
                    "Insightdesk already received the answer to this sign-in. You can close this tab.",
                )
            } else {
                match judge(&head, &shared.state) {
                    Verdict::Reject { status, reason } => {
                        log::warn!(
                            "loopback receiver: answered {status} to a {} request",
                            head.method
                        );
                        response(status, "Not a sign-in answer", reason)
                    }
                    Verdict::Accept(outcome) => {
                        let page = page_for(&outcome);
                        if let Some(sender) = shared.sender.take() {
                            let _ = sender.send(outcome);
                        }
                        page
                    }
                }
            }
        }
    };
    if !answer.is_empty() {
        let _ = stream.write_all(&answer).await;
    }
    let _ = stream.shutdown().await;
}

#[cfg(test)]
mod tests {
    use super::*;

    fn head(target: &str) -> RequestHead {
        RequestHead {
            method: "GET".into(),
            target: target.into(),
            version: "HTTP/1.1".into(),
            headers: Vec::new(),
        }
    }

    #[test]
    fn parses_a_browser_request_and_waits_for_more() {
        let raw =
            b"GET /callback?code=abc&state=s HTTP/1.1\r\nHost: localhost:1\r\nAccept: */*\r\n\r\n";
        let parsed = parse_request(raw).unwrap().unwrap();
        assert_eq!(parsed.method, "GET");
        assert_eq!(parsed.target, "/callback?code=abc&state=s");
        assert_eq!(parsed.headers[0], ("host".into(), "localhost:1".into()));
        assert_eq!(parse_request(&raw[..20]), Ok(None));
        assert_eq!(
            parse_request(&vec![b'a'; MAX_REQUEST_BYTES]),
            Err(RequestError::TooLarge)
        );
        assert!(parse_request(b"GET http://x/ HTTP/1.1\r\n\r\n").is_err());
        assert!(parse_request(b"GET /x HTTP/2\r\n\r\n").is_err());
        assert!(parse_request(b"GET /x HTTP/1.1\r\nbad header\r\n\r\n").is_err());
    }

    #[test]
    fn judges_state_paths_errors_and_codes() {
        let state = Sensitive::new("expected".to_owned());
        let status = |v: Verdict| match v {
            Verdict::Reject { status, .. } => status,
            Verdict::Accept(_) => 200,
        };
        assert_eq!(
            status(judge(&head("/other?state=expected&code=c"), &state)),
            404
        );
        assert_eq!(status(judge(&head("/callback?code=c"), &state)), 400);
        assert_eq!(
            status(judge(&head("/callback?code=c&state=wrong"), &state)),
            400
        );
        assert_eq!(
            status(judge(
                &head("/callback?code=c&state=expected&state=expected"),
                &state
            )),
            400
        );
        assert!(matches!(
            judge(&head("/callback?code=AQx%23_&state=expected"), &state),
            Verdict::Accept(CallbackOutcome::Code(c)) if c.expose() == "AQx"
        ));
        assert!(matches!(
            judge(
                &head("/callback?error=access_denied&error_reason=user_denied&state=expected"),
                &state
            ),
            Verdict::Accept(CallbackOutcome::Declined)
        ));
        let mut post = head("/callback?code=c&state=expected");
        post.method = "POST".into();
        assert_eq!(status(judge(&post, &state)), 405);
    }

    #[test]
    fn the_registered_redirect_is_localhost() {
        assert_eq!(redirect_uri(47813), "http://localhost:47813/callback");
    }
}
