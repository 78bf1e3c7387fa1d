//! The simulated platform's state and the Graph request pipeline: version, token, proof, rate
//! limits, then the node or edge handler, then usage headers.

use crate::catalog::{self, Served};
use crate::errors::{GraphError, fbtrace_id};
use crate::faults::FaultRuntime;
use crate::ledger::Ledger;
use crate::limits::{BucConfig, RateLimits, Usage, app_usage_header, buc_header};
use crate::request::ApiRequest;
use crate::time::{Clock, pacific_long};
use crate::tokens::{Authorized, Claims, Identities, LoginKind, Revocation, TokenKind, TokenState};
use crate::world::World;
use chrono::{DateTime, Utc};
use hmac::{Hmac, Mac};
use serde_json::Value;
use sha2::Sha256;
use std::collections::HashMap;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex, MutexGuard, RwLock};

/// Mutable platform state behind one lock (never held across an await).
#[derive(Debug, Default)]
pub(crate) struct State {
    pub(crate) tokens: TokenState,
    pub(crate) limits: RateLimits,
    /// Webhook subscriptions: object id (Page or Instagram account) → subscribed fields.
    pub(crate) subscriptions: HashMap<String, Vec<String>>,
    pub(crate) ledger: Ledger,
    pub(crate) faults: FaultRuntime,
    pub(crate) codes_issued: u64,
}

#[derive(Debug)]
pub(crate) struct Core {
    pub(crate) seed: u64,
    pub(crate) clock: Clock,
    pub(crate) ids: Identities,
    pub(crate) world: RwLock<Arc<World>>,
    pub(crate) state: Mutex<State>,
    pub(crate) buc: Mutex<BucConfig>,
    pub(crate) base_url: RwLock<String>,
    pub(crate) sequence: AtomicU64,
}

/// What a Graph call produced, before it becomes HTTP.
#[derive(Debug, Clone)]
pub(crate) struct GraphAnswer {
    pub(crate) status: u16,
    pub(crate) body: Value,
    pub(crate) headers: Vec<(String, String)>,
    pub(crate) counted: u32,
    pub(crate) app_id: Option<String>,
    pub(crate) ig_user_id: Option<String>,
    /// Batch items as ledger rows: (method, redacted path, status, ig user id).
    pub(crate) batch_items: Vec<(String, String, u16, Option<String>)>,
}

impl GraphAnswer {
    pub(crate) fn ok(body: Value) -> GraphAnswer {
        GraphAnswer {
            status: 200,
            body,
            headers: Vec::new(),
            counted: 1,
            app_id: None,
            ig_user_id: None,
            batch_items: Vec::new(),
        }
    }

    pub(crate) fn from_result(core: &Core, result: Result<Value, GraphError>) -> GraphAnswer {
        match result {
            Ok(body) => GraphAnswer::ok(body),
            Err(error) => GraphAnswer::error(core, &error),
        }
    }

    pub(crate) fn error(core: &Core, error: &GraphError) -> GraphAnswer {
        let mut answer = GraphAnswer::ok(error.body(&core.next_trace()));
        answer.status = error.status;
        if error.code == 190 {
            answer.headers.push((
                "WWW-Authenticate".into(),
                format!(
                    "OAuth \"Facebook Platform\" \"invalid_token\" \"{}\"",
                    error.message.replace('"', "'")
                ),
            ));
        }
        answer
    }
}

/// Everything a node or edge handler needs.
pub(crate) struct Ctx<'a> {
    pub(crate) core: &'a Core,
    pub(crate) world: &'a World,
    pub(crate) now: DateTime<Utc>,
    pub(crate) version: Served,
    pub(crate) login: LoginKind,
    pub(crate) host: &'a str,
    pub(crate) auth: &'a Authorized,
    pub(crate) scopes: u32,
    pub(crate) req: &'a ApiRequest,
    pub(crate) base: String,
    /// Calls Meta counts beyond the request itself (expanded insights per media).
    pub(crate) extra_calls: u32,
}

impl Ctx<'_> {
    pub(crate) fn has_scope(&self, name: &str) -> bool {
        crate::tokens::scope_bit(name).is_some_and(|bit| self.scopes & bit != 0)
    }

    /// Whether the token may read this Instagram account (granted Page or Instagram identity).
    pub(crate) fn can_see_account(&self, index: usize) -> bool {
        match self.login {
            LoginKind::Instagram => usize::from(self.auth.claims.subject) == index,
            LoginKind::Facebook => {
                let pages = &self.core.ids.pages;
                match self.auth.claims.kind {
                    TokenKind::Page => pages
                        .get(usize::from(self.auth.claims.subject))
                        .is_some_and(|p| p.linked == Some(index)),
                    TokenKind::User => pages
                        .iter()
                        .enumerate()
                        .any(|(i, p)| p.linked == Some(index) && self.auth.claims.has_asset(i)),
                }
            }
        }
    }

    pub(crate) fn basic_scope(&self) -> &'static str {
        match self.login {
            LoginKind::Facebook => "instagram_basic",
            LoginKind::Instagram => "instagram_business_basic",
        }
    }

    pub(crate) fn insights_scope(&self) -> &'static str {
        match self.login {
            LoginKind::Facebook => "instagram_manage_insights",
            LoginKind::Instagram => "instagram_business_manage_insights",
        }
    }

    pub(crate) fn comments_scope(&self) -> &'static str {
        match self.login {
            LoginKind::Facebook => "instagram_manage_comments",
            LoginKind::Instagram => "instagram_business_manage_comments",
        }
    }

    /// `{base}/{host}/{version}` for paging URLs.
    pub(crate) fn graph_root(&self) -> String {
        format!("{}/{}/{}", self.base, self.host, self.version.label())
    }
}

impl Core {
    pub(crate) fn lock(&self) -> MutexGuard<'_, State> {
        self.state
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner())
    }

    pub(crate) fn next_trace(&self) -> String {
        fbtrace_id(self.seed, self.sequence.fetch_add(1, Ordering::Relaxed))
    }

    pub(crate) fn base(&self) -> String {
        self.base_url.read().map(|b| b.clone()).unwrap_or_default()
    }

    /// The generated world, grown first if "now" came close to its horizon.
    pub(crate) fn world(&self, now: DateTime<Utc>) -> Arc<World> {
        let current = self.world.read().map(|w| Arc::clone(&w)).ok();
        match current {
            Some(world) if !world.needs_extension(now) => world,
            _ => {
                let grown = Arc::new(World::generate(self.seed, now));
                if let Ok(mut slot) = self.world.write() {
                    *slot = Arc::clone(&grown);
                }
                grown
            }
        }
    }

    /// Checks a token string: `Ok` with its effective scopes, or Meta's 190 family.
    pub(crate) fn authorize(
        &self,
        token: &str,
        login: LoginKind,
        now: DateTime<Utc>,
    ) -> Result<(Authorized, u32), GraphError> {
        let claims: Claims = self
            .ids
            .decode(token)
            .filter(|c| c.login == login)
            .ok_or_else(GraphError::token_unparsable)?;
        let app = self.ids.app(login);
        let state = self.lock();
        let scopes =
            state
                .tokens
                .check(token, &claims, now)
                .map_err(|(reason, at)| match reason {
                    Revocation::Expired => {
                        GraphError::token_expired(&pacific_long(at), &pacific_long(now))
                    }
                    Revocation::SessionInvalidated => GraphError::session_invalidated(),
                    Revocation::Deauthorized => GraphError::app_not_authorized(&app.id),
                })?;
        Ok((
            Authorized {
                token: token.to_string(),
                claims,
                app_id: app.id.clone(),
                app_secret: app.secret.clone(),
            },
            scopes,
        ))
    }

    pub(crate) fn buc_budget(&self, world: &World, account: usize, now: DateTime<Utc>) -> u64 {
        let config = self.buc.lock().map(|c| c.clone()).unwrap_or_default();
        let impressions = world
            .accounts
            .get(account)
            .map(|a| a.impressions_24h(now))
            .unwrap_or(0);
        config.budget_for(impressions)
    }

    pub(crate) fn platform_budget(&self) -> u64 {
        let config = self.buc.lock().map(|c| c.clone()).unwrap_or_default();
        // Users of the app: the sandbox has one person.
        config.platform_calls_per_user_hour.max(1)
    }

    /// A Graph call on graph.facebook.com or graph.instagram.com.
    pub(crate) fn graph(
        &self,
        req: &ApiRequest,
        now: DateTime<Utc>,
        in_batch: bool,
    ) -> GraphAnswer {
        let login = login_of(req);
        let (version, segments) = match served_version(req, login, now) {
            Ok(found) => found,
            Err(error) => return GraphAnswer::error(self, &error),
        };
        let mut answer = self.graph_versioned(req, segments, version, login, now, in_batch);
        answer
            .headers
            .push(("facebook-api-version".into(), version.label()));
        answer
    }

    /// Meta's answer to a Graph call that a fault stands in for: the error, with the headers
    /// every Graph answer carries (the version served and the caller's usage). `regain_minutes`
    /// is the estimate a BUC throttle puts on the touched account's usage entry.
    pub(crate) fn injected_error(
        &self,
        req: &ApiRequest,
        now: DateTime<Utc>,
        error: &GraphError,
        regain_minutes: Option<u64>,
    ) -> GraphAnswer {
        let mut answer = GraphAnswer::error(self, error);
        let login = login_of(req);
        let Ok((version, segments)) = served_version(req, login, now) else {
            return answer;
        };
        // Usage is reported per app and account, so it needs a token that names them.
        let authorized = req
            .token()
            .and_then(|token| self.authorize(token, login, now).ok());
        if let Some((auth, _)) = authorized {
            let world = self.world(now);
            let path: Vec<&str> = segments.iter().map(String::as_str).collect();
            let target = crate::graph::target_account(self, &world, &auth, login, &path);
            self.usage_headers(&mut answer, &world, &auth, target, now, regain_minutes);
            answer.app_id = Some(auth.app_id.clone());
            answer.ig_user_id = target
                .and_then(|i| world.accounts.get(i))
                .map(|a| a.ig_user_id.clone());
        }
        answer
            .headers
            .push(("facebook-api-version".into(), version.label()));
        answer
    }

    fn graph_versioned(
        &self,
        req: &ApiRequest,
        segments: &[String],
        version: Served,
        login: LoginKind,
        now: DateTime<Utc>,
        in_batch: bool,
    ) -> GraphAnswer {
        let path: Vec<&str> = segments.iter().map(String::as_str).collect();
        // Endpoints that authenticate with app credentials or a token parameter of their own.
        match (login, path.as_slice()) {
            (LoginKind::Facebook, ["oauth", "access_token"]) => {
                return crate::oauth::facebook_token(self, req, now);
            }
            (_, ["debug_token"]) => return crate::oauth::debug_token(self, req, login, now),
            (LoginKind::Instagram, ["access_token"]) => {
                return crate::oauth::instagram_exchange(self, req, now);
            }
            (LoginKind::Instagram, ["refresh_access_token"]) => {
                return crate::oauth::instagram_refresh(self, req, now);
            }
            (LoginKind::Facebook, []) if req.method == "POST" && !in_batch => {
                return crate::graph::batch(self, req, version, now);
            }
            _ => {}
        }
        let Some(token) = req.token() else {
            return GraphAnswer::error(self, &GraphError::token_required());
        };
        let (auth, scopes) = match self.authorize(token, login, now) {
            Ok(found) => found,
            Err(error) => return GraphAnswer::error(self, &error),
        };
        if let Some(proof) = req.param("appsecret_proof")
            && !proof_matches(&auth.app_secret, &auth.token, proof)
        {
            let mut answer = GraphAnswer::error(self, &GraphError::bad_appsecret_proof());
            answer.app_id = Some(auth.app_id.clone());
            return answer;
        }
        let world = self.world(now);
        let target = crate::graph::target_account(self, &world, &auth, login, &path);
        let ig_user_id = target
            .and_then(|i| world.accounts.get(i))
            .map(|a| a.ig_user_id.clone());

        // Rate limits first: a throttled call is refused before any work.
        let budget = target.map(|i| self.buc_budget(&world, i, now));
        let charged = {
            let mut state = self.lock();
            match (&ig_user_id, budget) {
                (Some(id), Some(budget)) => {
                    state.limits.charge_buc(&auth.app_id, id, budget, now, 1)
                }
                _ => state
                    .limits
                    .charge_platform(&auth.app_id, self.platform_budget(), now),
            }
        };
        let mut ctx = Ctx {
            core: self,
            world: &world,
            now,
            version,
            login,
            host: if login == LoginKind::Instagram {
                "graph.instagram.com"
            } else {
                "graph.facebook.com"
            },
            auth: &auth,
            scopes,
            req,
            base: self.base(),
            extra_calls: 0,
        };
        let result = match charged {
            Ok(()) => crate::graph::route(&mut ctx, &path),
            Err(error) => Err(error),
        };
        let extra = ctx.extra_calls;
        let mut answer = match result {
            Ok(body) => GraphAnswer::ok(body),
            Err(error) => GraphAnswer::error(self, &error),
        };
        if extra > 0 {
            answer.counted += extra;
            if let (Some(id), Some(budget)) = (&ig_user_id, budget) {
                let mut state = self.lock();
                // The page was already answered; the expanded calls still use up budget.
                let _ = state.limits.charge_buc(
                    &auth.app_id,
                    id,
                    budget.saturating_add(u64::from(extra)),
                    now,
                    extra,
                );
            }
        }
        self.usage_headers(&mut answer, &world, &auth, target, now, None);
        answer.app_id = Some(auth.app_id.clone());
        answer.ig_user_id = ig_user_id;
        answer
    }

    /// `X-Business-Use-Case-Usage` for the account the call touched (or every account the token
    /// sees), and `X-App-Usage` for Platform calls. `regain_minutes` is an estimate of when
    /// access returns for the touched account, from a throttle that is not in the ledger.
    pub(crate) fn usage_headers(
        &self,
        answer: &mut GraphAnswer,
        world: &World,
        auth: &Authorized,
        target: Option<usize>,
        now: DateTime<Utc>,
        regain_minutes: Option<u64>,
    ) {
        let accounts: Vec<usize> = match target {
            Some(i) => vec![i],
            None => (0..world.accounts.len())
                .filter(|i| match auth.claims.login {
                    LoginKind::Instagram => usize::from(auth.claims.subject) == *i,
                    LoginKind::Facebook => self.ids.pages.iter().enumerate().any(|(p, page)| {
                        page.linked == Some(*i)
                            && (auth.claims.kind == TokenKind::User && auth.claims.has_asset(p)
                                || auth.claims.kind == TokenKind::Page
                                    && usize::from(auth.claims.subject) == p)
                    }),
                })
                .collect(),
        };
        let budgets: Vec<(usize, u64)> = accounts
            .iter()
            .map(|i| (*i, self.buc_budget(world, *i, now)))
            .collect();
        let mut state = self.lock();
        let entries: Vec<(String, Usage)> = budgets
            .iter()
            .filter_map(|(i, budget)| {
                world.accounts.get(*i).map(|a| {
                    let usage = state
                        .limits
                        .buc_usage(&auth.app_id, &a.ig_user_id, *budget, now);
                    let usage = match regain_minutes {
                        Some(minutes) if target == Some(*i) => usage.regaining_in(minutes),
                        _ => usage,
                    };
                    (a.ig_user_id.clone(), usage)
                })
            })
            .collect();
        if !entries.is_empty() {
            answer
                .headers
                .push(("X-Business-Use-Case-Usage".into(), buc_header(&entries)));
        }
        if target.is_none() {
            let usage = state
                .limits
                .platform_usage(&auth.app_id, self.platform_budget(), now);
            answer
                .headers
                .push(("X-App-Usage".into(), app_usage_header(usage)));
        }
    }
}

/// Which Graph host a request is for: graph.instagram.com is Instagram Login's.
fn login_of(req: &ApiRequest) -> LoginKind {
    if req.host == "graph.instagram.com" {
        LoginKind::Instagram
    } else {
        LoginKind::Facebook
    }
}

/// The version a Graph path names in its first segment, and the path after it. Without one,
/// graph.instagram.com serves the newest version and graph.facebook.com the oldest live one;
/// a version that does not exist (yet) is Meta's 2500.
fn served_version(
    req: &ApiRequest,
    login: LoginKind,
    now: DateTime<Utc>,
) -> Result<(Served, &[String]), GraphError> {
    let segments: &[String] = &req.segments;
    let unknown = || GraphError::unknown_path(&format!("/{}", req.segments.join("/")));
    match segments.first().and_then(|s| catalog::parse_version(s)) {
        Some((major, minor)) => catalog::resolve(major, minor, now)
            .map(|served| (served, &segments[1..]))
            .ok_or_else(unknown),
        None if segments
            .first()
            .is_some_and(|s| s.starts_with('v') && s.contains('.') && s.len() < 8) =>
        {
            Err(unknown())
        }
        None => {
            let major = if login == LoginKind::Instagram {
                catalog::latest(now)
            } else {
                catalog::oldest_live(now)
            };
            Ok((
                Served {
                    major,
                    requested: 0,
                },
                segments,
            ))
        }
    }
}

/// `appsecret_proof` = hex(HMAC-SHA256(key = app secret, message = token)).
pub(crate) fn proof_matches(secret: &str, token: &str, proof: &str) -> bool {
    let Ok(mut mac) = Hmac::<Sha256>::new_from_slice(secret.as_bytes()) else {
        return false;
    };
    mac.update(token.as_bytes());
    let Ok(given) = hex::decode(proof.trim()) else {
        return false;
    };
    mac.verify_slice(&given).is_ok()
}

/// An HTTP answer before it is written.
#[derive(Debug, Clone)]
pub(crate) struct Answer {
    pub(crate) status: u16,
    pub(crate) headers: Vec<(String, String)>,
    pub(crate) body: Vec<u8>,
}

impl Answer {
    pub(crate) fn json(status: u16, value: &Value) -> Answer {
        Answer {
            status,
            headers: vec![(
                "Content-Type".into(),
                "application/json; charset=UTF-8".into(),
            )],
            body: value.to_string().into_bytes(),
        }
    }

    pub(crate) fn html(status: u16, text: String) -> Answer {
        Answer {
            status,
            headers: vec![("Content-Type".into(), "text/html; charset=utf-8".into())],
            body: text.into_bytes(),
        }
    }

    pub(crate) fn text(status: u16, content_type: &str, body: Vec<u8>) -> Answer {
        Answer {
            status,
            headers: vec![("Content-Type".into(), content_type.into())],
            body,
        }
    }

    pub(crate) fn redirect(location: &str) -> Answer {
        Answer {
            status: 302,
            headers: vec![
                ("Location".into(), location.into()),
                ("Content-Type".into(), "text/html; charset=utf-8".into()),
            ],
            body: Vec::new(),
        }
    }

    pub(crate) fn from_graph(answer: &GraphAnswer) -> Answer {
        let mut out = Answer::json(answer.status, &answer.body);
        out.headers.extend(answer.headers.iter().cloned());
        out
    }
}
