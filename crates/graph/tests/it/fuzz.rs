//! Arbitrary bytes and arbitrary JSON never panic a parser: the models, the error
//! classifier and the usage-header parser.

use insightdesk_graph::models::webhook::Envelope;
use insightdesk_graph::models::{
    DebugToken, IgCodeExchange, IgUser, Insights, Media, Page, PageAccount, TokenResponse,
};
use insightdesk_graph::parse::{parse_body, parse_json};
use insightdesk_graph::usage::{parse_app_usage, parse_business_use_case};
use insightdesk_graph::{MetaError, Usage};
use proptest::prelude::*;
use serde_json::Value;

fn every_parser(bytes: &[u8]) {
    let _ = parse_json::<Page<Media>>(bytes);
    let _ = parse_json::<Insights>(bytes);
    let _ = parse_json::<Page<PageAccount>>(bytes);
    let _ = parse_json::<IgUser>(bytes);
    let _ = parse_json::<TokenResponse>(bytes);
    let _ = parse_json::<IgCodeExchange>(bytes);
    let _ = parse_json::<DebugToken>(bytes);
    let _ = parse_json::<Vec<Envelope>>(bytes);
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

proptest! {
    #![proptest_config(ProptestConfig::with_cases(512))]

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
