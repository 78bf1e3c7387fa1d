//! Every answer of the loopback receiver, over real TCP.

use std::time::Duration;

use insightdesk_auth::loopback::MAX_REQUEST_BYTES;
use insightdesk_auth::{AuthError, LoopbackReceiver};
use insightdesk_secret::Sensitive;
use tokio::io::{AsyncReadExt, AsyncWriteExt};

const STATE: &str = "Zm9vYmFyYmF6cXV4MTIzNDU2Nzg5MDEyMzQ1Njc4OTA";

async fn receiver() -> LoopbackReceiver {
    LoopbackReceiver::bind(0, Sensitive::new(STATE.to_owned()))
        .await
        .unwrap()
}

/// Sends raw bytes, returns (status, whole response).
async fn send(port: u16, bytes: &[u8]) -> (u16, String) {
    let mut stream = tokio::net::TcpStream::connect(("127.0.0.1", port))
        .await
        .unwrap();
    // A peer that closes before reading everything may reset; what was answered still counts.
    let _ = stream.write_all(bytes).await;
    let mut answer = Vec::new();
    let _ = stream.read_to_end(&mut answer).await;
    let text = String::from_utf8_lossy(&answer).into_owned();
    let status = text
        .split(' ')
        .nth(1)
        .and_then(|s| s.parse().ok())
        .unwrap_or_else(|| panic!("no status line in {text:?}"));
    (status, text)
}

async fn get(port: u16, target: &str) -> (u16, String) {
    send(
        port,
        format!("GET {target} HTTP/1.1\r\nHost: localhost:{port}\r\nAccept: text/html\r\n\r\n")
            .as_bytes(),
    )
    .await
}

#[tokio::test]
async fn rejects_everything_but_the_one_callback_then_accepts_it_once() {
    let mut r = receiver().await;
    let port = r.port();
    let good = format!("/callback?code=AQcode123%23_&state={STATE}");

    assert_eq!(
        get(port, &format!("/other?code=c&state={STATE}")).await.0,
        404
    );
    assert_eq!(get(port, "/").await.0, 404);
    let (status, text) = send(
        port,
        format!("POST {good} HTTP/1.1\r\nHost: x\r\nContent-Length: 0\r\n\r\n").as_bytes(),
    )
    .await;
    assert_eq!(status, 405);
    assert!(text.contains("Allow: GET"), "{text}");
    let (status, text) = get(port, "/callback?code=AQcode123").await;
    assert_eq!(status, 400, "missing state");
    assert!(text.contains("no sign-in state"), "{text}");
    let (status, text) = get(port, "/callback?code=AQcode123&state=someone-elses-state").await;
    assert_eq!(status, 400, "wrong state");
    assert!(text.contains("does not match"), "{text}");
    let almost = &STATE[..STATE.len() - 1];
    assert_eq!(
        get(port, &format!("/callback?code=c&state={almost}"))
            .await
            .0,
        400
    );
    assert_eq!(
        get(
            port,
            &format!("/callback?code=c&state={STATE}&state={STATE}")
        )
        .await
        .0,
        400
    );
    assert_eq!(
        get(port, &format!("/callback?state={STATE}")).await.0,
        400,
        "no code"
    );
    let mut huge = format!("GET /callback?state={STATE}&pad=").into_bytes();
    huge.resize(MAX_REQUEST_BYTES + 100, b'a');
    assert_eq!(send(port, &huge).await.0, 431, "oversized");
    assert_eq!(
        send(
            port,
            b"\x16\x03\x01\x02\x00\x01\x00\x01\xfc\x03\x03\r\n\r\n"
        )
        .await
        .0,
        400,
        "TLS or garbage"
    );
    assert_eq!(send(port, b"GET /callback HTTP/2.0\r\n\r\n").await.0, 400);

    // None of that ended the wait; the real answer does.
    let (status, text) = get(port, &good).await;
    assert_eq!(status, 200);
    assert!(text.contains("You can close this tab"), "{text}");
    assert!(text.contains("Cache-Control: no-store"), "{text}");
    let code = r.wait(Duration::from_secs(5)).await.unwrap();
    assert_eq!(code.expose(), "AQcode123", "Instagram's #_ is stripped");

    let (status, text) = get(port, &good).await;
    assert_eq!(status, 410, "a second request");
    assert!(text.contains("already"), "{text}");
    assert_eq!(get(port, "/callback?code=x&state=y").await.0, 410);
}

#[tokio::test]
async fn listens_on_ipv4_loopback_only() {
    let r = receiver().await;
    let port = r.port();
    assert!(
        tokio::net::TcpStream::connect(("127.0.0.1", port))
            .await
            .is_ok()
    );
    assert!(
        tokio::net::TcpStream::connect(("::1", port)).await.is_err(),
        "not on the IPv6 loopback"
    );
    let address = local_non_loopback_address();
    if let Some(ip) = address {
        assert!(
            tokio::net::TcpStream::connect((ip, port)).await.is_err(),
            "not on {ip}"
        );
    }
}

/// This machine's address on its default route, if it has one.
fn local_non_loopback_address() -> Option<std::net::IpAddr> {
    let socket = std::net::UdpSocket::bind("0.0.0.0:0").ok()?;
    socket.connect("192.0.2.1:9").ok()?;
    let ip = socket.local_addr().ok()?.ip();
    (!ip.is_loopback() && !ip.is_unspecified()).then_some(ip)
}

#[tokio::test]
async fn deny_and_other_errors_end_the_wait_with_their_own_errors() {
    let mut r = receiver().await;
    let (status, text) = get(
        r.port(),
        &format!("/callback?error=access_denied&error_reason=user_denied&error_description=The+user+denied+your+request.&state={STATE}"),
    )
    .await;
    assert_eq!(status, 200);
    assert!(text.contains("nothing was shared"), "{text}");
    let error = r.wait(Duration::from_secs(5)).await.unwrap_err();
    assert!(matches!(error, AuthError::Declined), "{error:?}");

    let mut r = receiver().await;
    get(
        r.port(),
        &format!("/callback?error=server_error&error_description=Try+later&state={STATE}"),
    )
    .await;
    match r.wait(Duration::from_secs(5)).await.unwrap_err() {
        AuthError::Refused { error, description } => {
            assert_eq!(
                (error.as_str(), description.as_str()),
                ("server_error", "Try later")
            );
        }
        other => panic!("{other:?}"),
    }

    // A deny with somebody else's state is rejected like any foreign answer.
    let mut r = receiver().await;
    let (status, _) = get(r.port(), "/callback?error=access_denied&state=forged").await;
    assert_eq!(status, 400);
    let error = r.wait(Duration::from_millis(100)).await.unwrap_err();
    assert!(matches!(error, AuthError::TimedOut { .. }), "{error:?}");
}

#[tokio::test]
async fn an_idle_connection_does_not_block_the_callback() {
    let mut r = receiver().await;
    let port = r.port();
    // Browsers open speculative connections and send nothing on them.
    let _idle = tokio::net::TcpStream::connect(("127.0.0.1", port))
        .await
        .unwrap();
    let (status, _) = get(port, &format!("/callback?code=AQ1&state={STATE}")).await;
    assert_eq!(status, 200);
    assert_eq!(
        r.wait(Duration::from_secs(5)).await.unwrap().expose(),
        "AQ1"
    );
}

#[tokio::test]
async fn a_request_split_across_packets_is_read_whole() {
    let mut r = receiver().await;
    let port = r.port();
    let mut stream = tokio::net::TcpStream::connect(("127.0.0.1", port))
        .await
        .unwrap();
    let request = format!("GET /callback?code=AQsplit&state={STATE} HTTP/1.1\r\nHost: x\r\n\r\n");
    let (a, b) = request.as_bytes().split_at(17);
    stream.write_all(a).await.unwrap();
    stream.flush().await.unwrap();
    tokio::time::sleep(Duration::from_millis(50)).await;
    stream.write_all(b).await.unwrap();
    let mut answer = String::new();
    stream.read_to_string(&mut answer).await.unwrap();
    assert!(answer.starts_with("HTTP/1.1 200 OK"), "{answer}");
    assert_eq!(
        r.wait(Duration::from_secs(5)).await.unwrap().expose(),
        "AQsplit"
    );
}
