//! Injected faults, deterministic by seed.
//!
//! # SPEC grammar
//!
//! ```text
//! SPEC    := "" | RULE ("," RULE)*
//! RULE    := KIND "=" PROB [":" ARG] [FILTER]      each matching request, with probability PROB
//!          | KIND "@" N ["-" M] [":" ARG] [FILTER]  exactly the Nth (to Mth) matching request, 1-based
//!          | "throttle_after=" N [":" DURATION] [FILTER]   after N matching requests the account
//!                                                  (or app) is throttled for DURATION (default 1h)
//!          | "expire_after=" N [FILTER]            the token of request N+1 expires (190/463)
//!          | "invalidate_after=" N [FILTER]        the user's sessions are invalidated at request N+1 (190/460)
//! FILTER  := "~" TEXT                              only requests whose path contains TEXT
//! KIND    := "5xx"        ARG: status (default 500)
//!          | "reset"      the connection is reset, no answer
//!          | "delay"      ARG: duration (30s, 500ms, 2m; default 30s) before answering normally
//!          | "truncate"   the body stops half way and the connection closes
//!          | "malformed"  HTTP 200 with a body that is not JSON
//!          | "throttle"   ARG: code 4, 17, 32, 613, 80001 or 80002 (default 80002), one refusal
//!          | "transient"  code 2 with is_transient: true (HTTP 500)
//!          | "expire"     the request's token expires now (190/463, and stays expired)
//!          | "invalidate" the user's sessions are invalidated (190/460)
//! ```
//!
//! Examples: `5xx=0.05,reset=0.02,delay=0.01:30s,truncate=0.01,malformed=0.01,throttle_after=200,expire_after=50,transient=0.02`;
//! `5xx@3` (the third request fails); `reset@1~/insights` (the first insights request is reset);
//! `throttle@2-4:613` (requests 2 to 4 get code 613).
//!
//! Faults apply to Meta's API hosts (graph.facebook.com, graph.instagram.com, api.instagram.com),
//! not to the consent pages, images or `/__sandbox`. Counting starts when a plan is set.
//!
//! An injected Graph error (`throttle`, `transient`, a 500) carries the headers of every Graph
//! answer: `facebook-api-version` and the caller's usage. A BUC throttle (80001, 80002) puts an
//! `estimated_time_to_regain_access` of 3 minutes on the touched account's entry, although the
//! account is not actually held; other 5xx statuses are pages from Meta's edge, without them.

use crate::errors::SandboxError;
use crate::prng::{mix, unit};
use std::time::Duration;

#[derive(Debug, Clone, PartialEq)]
pub enum FaultKind {
    ServerError(u16),
    Reset,
    Delay(Duration),
    Truncate,
    Malformed,
    Throttle(i64),
    Transient,
    Expire,
    Invalidate,
    /// `throttle_after`: block the account (or app) for this long.
    ThrottleWindow(Duration),
}

impl FaultKind {
    pub fn label(&self) -> &'static str {
        match self {
            FaultKind::ServerError(_) => "5xx",
            FaultKind::Reset => "reset",
            FaultKind::Delay(_) => "delay",
            FaultKind::Truncate => "truncate",
            FaultKind::Malformed => "malformed",
            FaultKind::Throttle(_) => "throttle",
            FaultKind::Transient => "transient",
            FaultKind::Expire => "expire",
            FaultKind::Invalidate => "invalidate",
            FaultKind::ThrottleWindow(_) => "throttle_after",
        }
    }
}

#[derive(Debug, Clone, PartialEq)]
pub enum Trigger {
    /// Each matching request with this probability.
    Probability(f64),
    /// Matching requests number `from` to `to` (1-based, inclusive).
    Nth { from: u64, to: u64 },
    /// Once, at matching request `n + 1`.
    After(u64),
}

#[derive(Debug, Clone, PartialEq)]
pub struct FaultRule {
    pub kind: FaultKind,
    pub trigger: Trigger,
    pub path_contains: Option<String>,
}

/// A set of fault rules; the first rule that fires wins.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct FaultPlan {
    pub rules: Vec<FaultRule>,
}

fn invalid(rule: &str, why: &str) -> SandboxError {
    SandboxError::FaultSpec(format!("{why} in \"{rule}\""))
}

pub(crate) fn parse_duration(text: &str) -> Option<Duration> {
    let text = text.trim();
    let (number, unit): (&str, fn(f64) -> Duration) = if let Some(n) = text.strip_suffix("ms") {
        (n, |v| Duration::from_secs_f64(v / 1000.0))
    } else if let Some(n) = text.strip_suffix('s') {
        (n, Duration::from_secs_f64)
    } else if let Some(n) = text.strip_suffix('m') {
        (n, |v| Duration::from_secs_f64(v * 60.0))
    } else if let Some(n) = text.strip_suffix('h') {
        (n, |v| Duration::from_secs_f64(v * 3600.0))
    } else {
        (text, Duration::from_secs_f64)
    };
    let value: f64 = number.parse().ok()?;
    (0.0..1e7).contains(&value).then(|| unit(value))
}

impl FaultPlan {
    /// No faults.
    pub fn none() -> FaultPlan {
        FaultPlan::default()
    }

    /// Parses the SPEC grammar in the module documentation.
    pub fn parse(spec: &str) -> Result<FaultPlan, SandboxError> {
        let mut rules = Vec::new();
        for raw in spec.split(',').map(str::trim).filter(|r| !r.is_empty()) {
            let (body, path_contains) = match raw.split_once('~') {
                Some((body, filter)) if !filter.is_empty() => {
                    (body.trim(), Some(filter.to_string()))
                }
                Some(_) => return Err(invalid(raw, "an empty path filter")),
                None => (raw, None),
            };
            rules.push(parse_rule(raw, body, path_contains)?);
        }
        Ok(FaultPlan { rules })
    }
}

fn parse_rule(
    raw: &str,
    body: &str,
    path_contains: Option<String>,
) -> Result<FaultRule, SandboxError> {
    if let Some((name, rest)) = body.split_once('=') {
        let (value, arg) = match rest.split_once(':') {
            Some((v, a)) => (v.trim(), Some(a.trim())),
            None => (rest.trim(), None),
        };
        let name = name.trim();
        match name {
            "throttle_after" | "expire_after" | "invalidate_after" => {
                let n: u64 = value
                    .parse()
                    .map_err(|_| invalid(raw, "a count that is not a whole number"))?;
                let kind = match name {
                    "throttle_after" => FaultKind::ThrottleWindow(match arg {
                        Some(a) => parse_duration(a)
                            .ok_or_else(|| invalid(raw, "a duration that is not valid"))?,
                        None => Duration::from_secs(3600),
                    }),
                    "expire_after" => FaultKind::Expire,
                    _ => FaultKind::Invalidate,
                };
                if name != "throttle_after" && arg.is_some() {
                    return Err(invalid(raw, "an argument this rule does not take"));
                }
                return Ok(FaultRule {
                    kind,
                    trigger: Trigger::After(n),
                    path_contains,
                });
            }
            _ => {
                let p: f64 = value
                    .parse()
                    .map_err(|_| invalid(raw, "a probability that is not a number"))?;
                if !(0.0..=1.0).contains(&p) {
                    return Err(invalid(raw, "a probability outside 0..1"));
                }
                let kind = parse_kind(raw, name, arg)?;
                return Ok(FaultRule {
                    kind,
                    trigger: Trigger::Probability(p),
                    path_contains,
                });
            }
        }
    }
    if let Some((name, rest)) = body.split_once('@') {
        let (range, arg) = match rest.split_once(':') {
            Some((r, a)) => (r.trim(), Some(a.trim())),
            None => (rest.trim(), None),
        };
        let (from, to) = match range.split_once('-') {
            Some((a, b)) => (a.trim().parse::<u64>(), b.trim().parse::<u64>()),
            None => (range.parse::<u64>(), range.parse::<u64>()),
        };
        let (Ok(from), Ok(to)) = (from, to) else {
            return Err(invalid(raw, "a request number that is not a whole number"));
        };
        if from == 0 || to < from {
            return Err(invalid(
                raw,
                "request numbers start at 1 and a range must not run backwards",
            ));
        }
        let kind = parse_kind(raw, name.trim(), arg)?;
        return Ok(FaultRule {
            kind,
            trigger: Trigger::Nth { from, to },
            path_contains,
        });
    }
    Err(invalid(raw, "neither \"=\" nor \"@\""))
}

fn parse_kind(raw: &str, name: &str, arg: Option<&str>) -> Result<FaultKind, SandboxError> {
    let no_arg = |kind: FaultKind| {
        if arg.is_some() {
            Err(invalid(raw, "an argument this fault does not take"))
        } else {
            Ok(kind)
        }
    };
    match name {
        "5xx" => {
            let status = match arg {
                Some(a) => a
                    .parse::<u16>()
                    .ok()
                    .filter(|s| (500..600).contains(s))
                    .ok_or_else(|| invalid(raw, "a status outside 500..599"))?,
                None => 500,
            };
            Ok(FaultKind::ServerError(status))
        }
        "reset" => no_arg(FaultKind::Reset),
        "delay" => Ok(FaultKind::Delay(match arg {
            Some(a) => {
                parse_duration(a).ok_or_else(|| invalid(raw, "a duration that is not valid"))?
            }
            None => Duration::from_secs(30),
        })),
        "truncate" => no_arg(FaultKind::Truncate),
        "malformed" => no_arg(FaultKind::Malformed),
        "throttle" => {
            let code = match arg {
                Some(a) => a
                    .parse::<i64>()
                    .ok()
                    .filter(|c| [4, 17, 32, 613, 80001, 80002].contains(c))
                    .ok_or_else(|| {
                        invalid(
                            raw,
                            "a throttling code other than 4, 17, 32, 613, 80001, 80002",
                        )
                    })?,
                None => 80002,
            };
            Ok(FaultKind::Throttle(code))
        }
        "transient" => no_arg(FaultKind::Transient),
        "expire" => no_arg(FaultKind::Expire),
        "invalidate" => no_arg(FaultKind::Invalidate),
        _ => Err(invalid(raw, "an unknown fault kind")),
    }
}

/// A plan with its counters.
#[derive(Debug, Default)]
pub(crate) struct FaultRuntime {
    plan: FaultPlan,
    seen: Vec<u64>,
    fired_after: Vec<bool>,
}

impl FaultRuntime {
    pub(crate) fn new(plan: FaultPlan) -> FaultRuntime {
        let n = plan.rules.len();
        FaultRuntime {
            plan,
            seen: vec![0; n],
            fired_after: vec![false; n],
        }
    }

    /// Counts the request against every rule and returns the first fault that fires.
    pub(crate) fn decide(&mut self, seed: u64, path: &str) -> Option<FaultKind> {
        let mut chosen = None;
        for (index, rule) in self.plan.rules.iter().enumerate() {
            if rule
                .path_contains
                .as_deref()
                .is_some_and(|needle| !path.contains(needle))
            {
                continue;
            }
            self.seen[index] += 1;
            let n = self.seen[index];
            let fires = match &rule.trigger {
                Trigger::Probability(p) => unit(mix(&[seed, 0xFA17, index as u64, n])) < *p,
                Trigger::Nth { from, to } => (*from..=*to).contains(&n),
                Trigger::After(after) => n == after + 1 && !self.fired_after[index],
            };
            if fires && chosen.is_none() {
                if matches!(rule.trigger, Trigger::After(_)) {
                    self.fired_after[index] = true;
                }
                chosen = Some(rule.kind.clone());
            }
        }
        chosen
    }
}
