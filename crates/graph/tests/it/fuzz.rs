//! Arbitrary bytes, arbitrary JSON and Meta's recorded answers with bytes changed never panic
//! a parser: the models (and what the client computes from them), the error classifier and
//! the usage-header parser.
//!
//! Each property runs its CI count of cases; `FUZZ_CASES=N` runs N instead, for a long
//! session by hand (docs/RELIABILITY.md).

use std::sync::OnceLock;

use chrono::DateTime;
use insightdesk_graph::models::webhook::Envelope;
use insightdesk_graph::models::{
    Comment, DebugToken, FacebookUser, IgCodeExchange, IgUser, Insights, Media, MentionedComment,
    MentionedMedia, Page, PageAccount, Paging, TokenResponse,
};
use insightdesk_graph::parse::{parse_body, parse_json};
use insightdesk_graph::usage::{parse_app_usage, parse_business_use_case};
use insightdesk_graph::{MetaError, Usage};
use proptest::prelude::*;
use serde_json::Value;

/// The case count of a property: its CI count, or `FUZZ_CASES` when set.
fn cases(ci: u32) -> ProptestConfig {
    let cases = std::env::var("FUZZ_CASES")
        .ok()
        .and_then(|n| n.parse().ok())
        .unwrap_or(ci);
    ProptestConfig::with_cases(cases)
}

fn every_parser(bytes: &[u8]) {
    let now = DateTime::UNIX_EPOCH;
    if let Ok(page) = parse_json::<Page<Media>>(bytes) {
        let _ = page.next_cursor();
        for media in &page.data {
            let _ = media.child_media();
        }
    }
    if let Ok(insights) = parse_json::<Insights>(bytes) {
        for metric in &insights.data {
            if let Some(value) = metric.single_value() {
                let _ = (value.as_f64(), value.as_i64());
            }
        }
        if let Some(next) = insights.paging.as_ref().and_then(|p| p.next.as_deref()) {
            let _ = Paging::window_of(next);
        }
    }
    if let Ok(page) = parse_json::<Page<PageAccount>>(bytes) {
        let _ = page.data.iter().map(PageAccount::ig_user_id).count();
    }
    if let Ok(user) = parse_json::<IgUser>(bytes) {
        let _ = user.account_id();
    }
    if let Ok(token) = parse_json::<TokenResponse>(bytes) {
        let _ = token.expires_at(now);
    }
    let _ = parse_json::<IgCodeExchange>(bytes);
    if let Ok(debug) = parse_json::<DebugToken>(bytes) {
        let _ = (debug.data.expires(), debug.data.data_access_expires());
    }
    let _ = parse_json::<Vec<Envelope>>(bytes);
    let _ = parse_json::<FacebookUser>(bytes);
    let _ = parse_json::<Page<Comment>>(bytes);
    let _ = parse_json::<MentionedMedia>(bytes);
    let _ = parse_json::<MentionedComment>(bytes);
    let _ = parse_body::<Insights>(bytes);
    if let Some(meta) = MetaError::from_body(bytes) {
        let _ = meta.class();
        let _ = meta.class_for(&["reach".to_owned(), "impressions".to_owned()]);
    }
    let text = String::from_utf8_lossy(bytes);
    let _ = parse_business_use_case(&text);
    let _ = parse_app_usage(&text);
    let _ = Usage::from_pairs([
        ("x-business-use-case-usage", text.as_ref()),
        ("x-app-usage", text.as_ref()),
    ])
    .highest_percent(Some("1"));
}

fn json() -> impl Strategy<Value = Value> {
    let leaf = prop_oneof![
        Just(Value::Null),
        any::<bool>().prop_map(Value::Bool),
        any::<i64>().prop_map(Value::from),
        any::<f64>()
            .prop_filter("finite", |f| f.is_finite())
            .prop_map(Value::from),
        "\\PC{0,20}".prop_map(Value::String),
        // Words Meta's answers are made of, so the parsers go deep.
        prop::sample::select(vec![
            "data",
            "error",
            "code",
            "values",
            "value",
            "total_value",
            "breakdowns",
            "end_time",
            "2024-01-15T07:00:00+0000",
            "instagram",
            "call_count",
            "message",
            "metric[0]",
        ])
        .prop_map(|s| Value::String(s.to_owned())),
    ];
    leaf.prop_recursive(4, 48, 6, |inner| {
        prop_oneof![
            prop::collection::vec(inner.clone(), 0..6).prop_map(Value::Array),
            prop::collection::btree_map(
                prop::sample::select(vec![
                    "data",
                    "paging",
                    "error",
                    "code",
                    "error_subcode",
                    "message",
                    "name",
                    "values",
                    "value",
                    "total_value",
                    "breakdowns",
                    "dimension_keys",
                    "dimension_values",
                    "results",
                    "end_time",
                    "id",
                    "media_type",
                    "timestamp",
                    "children",
                    "access_token",
                    "user_id",
                    "permissions",
                    "call_count",
                    "total_time",
                    "estimated_time_to_regain_access",
                    "is_transient",
                    "error_type",
                    "error_message",
                    "entry",
                    "changes",
                    "field",
                    "cursors",
                    "next",
                    "after",
                ])
                .prop_map(str::to_owned),
                inner,
                0..6,
            )
            .prop_map(|m| Value::Object(m.into_iter().collect())),
        ]
    })
}

/// Messages in the style of Meta's, with arbitrary (also non-ASCII) words spliced in.
fn message() -> impl Strategy<Value = String> {
    let pieces = prop::sample::select(vec![
        "(#100) ",
        "the ",
        "metric ",
        "is no longer supported",
        ": ",
        "does not support the ",
        " metric",
        "incompatible metric (",
        ")",
        "metric[",
        "0",
        "] must be one of the following values: ",
        ", ",
        "the following metrics (",
        "should be specified with parameter metric_type=total_value",
        "not enough viewers",
        "é",
        "日本",
        "🙂",
        "(",
        " ",
    ]);
    prop::collection::vec(
        prop_oneof![pieces.prop_map(str::to_owned), "\\PC{0,6}"],
        0..12,
    )
    .prop_map(|p| p.concat())
}

/// Every recorded answer of `fixtures/graph/`.
fn recorded() -> &'static [Vec<u8>] {
    static RECORDED: OnceLock<Vec<Vec<u8>>> = OnceLock::new();
    RECORDED.get_or_init(|| {
        let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../../fixtures/graph");
        let mut files: Vec<_> = std::fs::read_dir(dir)
            .unwrap()
            .map(|e| e.unwrap().path())
            .filter(|p| p.extension().is_some_and(|e| e == "json"))
            .collect();
        files.sort();
        files.iter().map(|p| std::fs::read(p).unwrap()).collect()
    })
}

/// A change to a recorded answer: a byte replaced, a slice cut out, a number made extreme.
#[derive(Debug, Clone)]
enum Mutation {
    Replace(prop::sample::Index, u8),
    Cut(prop::sample::Index, usize),
    Truncate(prop::sample::Index),
    ExtremeNumber(prop::sample::Index, &'static str),
}

fn mutation() -> impl Strategy<Value = Mutation> {
    prop_oneof![
        (any::<prop::sample::Index>(), any::<u8>()).prop_map(|(i, b)| Mutation::Replace(i, b)),
        (any::<prop::sample::Index>(), 1usize..40).prop_map(|(i, n)| Mutation::Cut(i, n)),
        any::<prop::sample::Index>().prop_map(Mutation::Truncate),
        (
            any::<prop::sample::Index>(),
            prop::sample::select(vec![
                "18446744073709551615",
                "9223372036854775807",
                "-9223372036854775808",
                "1e308",
                "-1",
                "0",
                "99999999999999999999999",
            ])
        )
            .prop_map(|(i, n)| Mutation::ExtremeNumber(i, n)),
    ]
}

fn mutate(body: &[u8], mutation: &Mutation) -> Vec<u8> {
    let mut body = body.to_vec();
    match mutation {
        Mutation::Replace(at, byte) => {
            let at = at.index(body.len());
            body[at] = *byte;
        }
        Mutation::Cut(at, n) => {
            let at = at.index(body.len());
            body.drain(at..(at + n).min(body.len()));
        }
        Mutation::Truncate(at) => body.truncate(at.index(body.len())),
        Mutation::ExtremeNumber(at, number) => {
            // The nth number of the body becomes an extreme one.
            let digits: Vec<usize> = (0..body.len())
                .filter(|&i| body[i].is_ascii_digit() && (i == 0 || !body[i - 1].is_ascii_digit()))
                .collect();
            if !digits.is_empty() {
                let start = digits[at.index(digits.len())];
                let end = (start..body.len())
                    .find(|&i| !body[i].is_ascii_digit())
                    .unwrap_or(body.len());
                body.splice(start..end, number.bytes());
            }
        }
    }
    body
}

proptest! {
    #![proptest_config(cases(1024))]

    #[test]
    fn recorded_answers_changed_never_panic(which in any::<prop::sample::Index>(), change in mutation()) {
        let recorded = recorded();
        let body = &recorded[which.index(recorded.len())];
        every_parser(&mutate(body, &change));
    }

    #[test]
    fn token_answers_with_any_lifetime_never_panic(expires_in in any::<u64>(), seconds in any::<i64>()) {
        let body = format!(r#"{{"access_token":"T","token_type":"bearer","expires_in":{expires_in}}}"#);
        let token = parse_json::<TokenResponse>(body.as_bytes()).unwrap();
        let _ = token.expires_at(DateTime::UNIX_EPOCH);
        let now = DateTime::from_timestamp(seconds.clamp(-8_000_000_000_000, 8_000_000_000_000), 0).unwrap();
        let _ = token.expires_at(now);
        let debug = format!(r#"{{"data":{{"is_valid":true,"expires_at":{seconds},"data_access_expires_at":{seconds}}}}}"#);
        if let Ok(debug) = parse_json::<DebugToken>(debug.as_bytes()) {
            let _ = (debug.data.expires(), debug.data.data_access_expires());
        }
    }

    #[test]
    fn arbitrary_insights_paging_links_never_panic(link in "\\PC{0,80}", since in any::<i64>(), until in any::<i64>()) {
        let _ = Paging::window_of(&link);
        let _ = Paging::window_of(&format!("https://graph.facebook.com/v24.0/1/insights?since={since}&until={until}&{link}"));
    }
}

proptest! {
    #![proptest_config(cases(2048))]

    #[test]
    fn arbitrary_bytes_never_panic(bytes in prop::collection::vec(any::<u8>(), 0..512)) {
        every_parser(&bytes);
    }

    #[test]
    fn arbitrary_json_never_panics(value in json()) {
        every_parser(&serde_json::to_vec(&value).unwrap());
        let _ = MetaError::from_value(&value);
    }

    #[test]
    fn arbitrary_error_messages_never_panic_the_classifier(
        message in message(),
        code in prop::sample::select(vec![1i64, 2, 4, 10, 100, 190, 200, 80002, 400]),
        requested in prop::collection::vec("[a-z_é]{0,8}", 0..4),
    ) {
        let body = serde_json::json!({"error": {"message": message, "code": code}});
        let meta = MetaError::from_value(&body).unwrap();
        let _ = meta.class_for(&requested);
        let flat = serde_json::json!({"error_type": "OAuthException", "code": code, "error_message": message});
        let _ = MetaError::from_value(&flat).unwrap().class_for(&requested);
    }

    #[test]
    fn arbitrary_usage_headers_never_panic(
        id in "\\PC{0,10}",
        numbers in prop::collection::vec(prop_oneof![any::<f64>().prop_map(|f| f.to_string()), any::<i64>().prop_map(|i| i.to_string()), Just("\"7\"".to_owned()), Just("null".to_owned())], 4),
    ) {
        let header = format!(
            r#"{{{}:[{{"type":"instagram","call_count":{},"total_cputime":{},"total_time":{},"estimated_time_to_regain_access":{}}}]}}"#,
            serde_json::to_string(&id).unwrap(), numbers[0], numbers[1], numbers[2], numbers[3]
        );
        let usage = Usage::from_pairs([("x-business-use-case-usage", header.as_str())]);
        let _ = usage.highest_percent(Some(&id));
        let _ = usage.regain_after(None);
    }
}
