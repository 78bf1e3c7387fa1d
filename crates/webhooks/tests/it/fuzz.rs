//! Arbitrary bytes and headers into the signature check and the payload reader: no panic,
//! and a signature only ever verifies the body it was made for.
//!
//! Each property runs its CI count of cases; `FUZZ_CASES=N` runs N instead, for a long
//! session by hand (docs/RELIABILITY.md).

use chrono::DateTime;
use insightdesk_secret::Sensitive;
use insightdesk_webhooks::{SignatureError, parse_delivery, signature_header, verify_signature};
use proptest::prelude::*;

use crate::support::{comments_delivery, fixture};

fn secret() -> Sensitive<String> {
    Sensitive::new("fuzz-secret".into())
}

/// Pieces of webhook JSON, so generated bodies often get past the first byte.
fn jsonish() -> impl Strategy<Value = Vec<u8>> {
    let piece = prop_oneof![
        Just(&b"{"[..]),
        Just(&b"}"[..]),
        Just(&b"["[..]),
        Just(&b"]"[..]),
        Just(&b","[..]),
        Just(&b":"[..]),
        Just(&br#""object""#[..]),
        Just(&br#""instagram""#[..]),
        Just(&br#""entry""#[..]),
        Just(&br#""id""#[..]),
        Just(&br#""time""#[..]),
        Just(&br#""changes""#[..]),
        Just(&br#""field""#[..]),
        Just(&br#""value""#[..]),
        Just(&br#""comments""#[..]),
        Just(&br#""mentions""#[..]),
        Just(&br#""story_insights""#[..]),
        Just(&br#""media_id""#[..]),
        Just(&br#""reach""#[..]),
        Just(&b"-1"[..]),
        Just(&b"17"[..]),
        Just(&b"1e400"[..]),
        Just(&b"null"[..]),
        Just(&b"true"[..]),
        Just(&br#""\ud800""#[..]),
    ];
    proptest::collection::vec(piece, 0..60).prop_map(|pieces| pieces.concat())
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
    #![proptest_config(cases(512))]

    #[test]
    fn arbitrary_headers_and_bodies_never_panic_and_never_verify(
        header in proptest::option::of(proptest::collection::vec(any::<u8>(), 0..100)),
        body in proptest::collection::vec(any::<u8>(), 0..512),
    ) {
        let verdict = verify_signature(&secret(), header.as_deref(), &body);
        prop_assert!(verdict.is_err());
        if header.is_none() {
            prop_assert_eq!(verdict, Err(SignatureError::Missing));
        }
    }

    #[test]
    fn a_signature_verifies_its_body_and_no_other(
        body in proptest::collection::vec(any::<u8>(), 0..512),
        flip in any::<prop::sample::Index>(),
        bit in 0u8..8,
    ) {
        let header = signature_header(&secret(), &body);
        prop_assert!(verify_signature(&secret(), Some(header.as_bytes()), &body).is_ok());
        if !body.is_empty() {
            let mut changed = body.clone();
            let at = flip.index(changed.len());
            changed[at] ^= 1 << bit;
            prop_assert_eq!(
                verify_signature(&secret(), Some(header.as_bytes()), &changed),
                Err(SignatureError::Mismatch)
            );
        }
    }

    #[test]
    fn arbitrary_bytes_never_panic_the_reader(body in proptest::collection::vec(any::<u8>(), 0..512)) {
        let _ = parse_delivery(&body, DateTime::UNIX_EPOCH);
    }

    #[test]
    fn jsonish_bodies_never_panic_the_reader(body in jsonish()) {
        let _ = parse_delivery(&body, DateTime::UNIX_EPOCH);
    }

    #[test]
    fn recorded_deliveries_with_a_byte_changed_never_panic_the_reader(
        which in 0usize..3,
        at in any::<prop::sample::Index>(),
        byte in any::<u8>(),
    ) {
        let mut body = match which {
            0 => comments_delivery(),
            1 => fixture("webhook_mentions_comment_envelope_meta_doc.json"),
            _ => fixture("webhook_story_insights_envelope_meta_doc.json"),
        };
        let index = at.index(body.len());
        body[index] = byte;
        let _ = parse_delivery(&body, DateTime::UNIX_EPOCH);
    }
}
