//! The receiver's request parser and judge, fuzzed: they never panic, accept only well-formed
//! heads, and never accept a callback whose state differs.
//!
//! Each property runs its CI count of cases; `FUZZ_CASES=N` runs N instead, for a long
//! session by hand (docs/RELIABILITY.md).

use insightdesk_auth::loopback::{
    CallbackOutcome, MAX_REQUEST_BYTES, RequestError, Verdict, judge, parse_request,
};
use insightdesk_secret::Sensitive;
use proptest::prelude::*;

fn token() -> impl Strategy<Value = String> {
    "[A-Za-z0-9!#$%&'*+.^_`|~-]{1,12}"
}

fn header() -> impl Strategy<Value = (String, String)> {
    (token(), "[ -~]{0,40}")
}

/// The case count of a property: its CI count, or `FUZZ_CASES` when set.
fn cases(ci: u32) -> ProptestConfig {
    let cases = std::env::var("FUZZ_CASES")
        .ok()
        .and_then(|n| n.parse().ok())
        .unwrap_or(ci);
    ProptestConfig::with_cases(cases)
}

proptest! {
    #![proptest_config(cases(1024))]

    #[test]
    fn arbitrary_bytes_never_panic(bytes in proptest::collection::vec(any::<u8>(), 0..2048)) {
        let state = Sensitive::new("s".repeat(43));
        if let Ok(Some(head)) = parse_request(&bytes) {
            prop_assert!(head.target.starts_with('/'));
            let _ = judge(&head, &state);
        }
    }

    #[test]
    fn well_formed_heads_parse_back_and_every_prefix_is_incomplete(
        method in token(),
        path in "/[a-zA-Z0-9/_.-]{0,30}",
        query in "[a-zA-Z0-9=&%_.-]{0,60}",
        headers in proptest::collection::vec(header(), 0..8),
    ) {
        let target = if query.is_empty() { path.clone() } else { format!("{path}?{query}") };
        let mut raw = format!("{method} {target} HTTP/1.1\r\n");
        for (name, value) in &headers {
            raw.push_str(&format!("{name}: {value}\r\n"));
        }
        raw.push_str("\r\n");
        let head = parse_request(raw.as_bytes()).unwrap().unwrap();
        prop_assert_eq!(&head.method, &method);
        prop_assert_eq!(&head.target, &target);
        prop_assert_eq!(head.headers.len(), headers.len());
        for ((name, value), (parsed_name, parsed_value)) in headers.iter().zip(&head.headers) {
            prop_assert_eq!(&name.to_ascii_lowercase(), parsed_name);
            prop_assert_eq!(value.trim(), parsed_value.as_str());
        }
        for cut in 0..raw.len() - 1 {
            let prefix = &raw.as_bytes()[..cut];
            prop_assert!(!matches!(parse_request(prefix), Ok(Some(_))), "a prefix of {} bytes was complete", cut);
        }
    }

    #[test]
    fn a_callback_is_accepted_only_with_the_exact_state(
        expected in "[A-Za-z0-9_-]{43}",
        sent in "[A-Za-z0-9_-]{0,50}",
        code in "[A-Za-z0-9]{1,40}",
    ) {
        let state = Sensitive::new(expected.clone());
        let raw = format!("GET /callback?code={code}&state={sent} HTTP/1.1\r\nHost: localhost\r\n\r\n");
        let head = parse_request(raw.as_bytes()).unwrap().unwrap();
        match judge(&head, &state) {
            Verdict::Accept(CallbackOutcome::Code(c)) => {
                prop_assert_eq!(&sent, &expected);
                prop_assert_eq!(c.expose(), &code);
            }
            Verdict::Accept(other) => prop_assert!(false, "unexpected {:?}", other),
            Verdict::Reject { status, .. } => {
                prop_assert_eq!(status, 400);
                prop_assert_ne!(&sent, &expected);
            }
        }
    }

    #[test]
    fn anything_longer_than_the_limit_without_an_end_is_too_large(extra in 0usize..4096, fill in any::<u8>()) {
        let fill = if fill == b'\r' || fill == 0 { b'a' } else { fill };
        let bytes = vec![fill; MAX_REQUEST_BYTES + extra];
        prop_assert_eq!(parse_request(&bytes), Err(RequestError::TooLarge));
    }
}
