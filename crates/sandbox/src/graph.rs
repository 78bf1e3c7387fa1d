//! Graph nodes and edges: users, Pages, Instagram accounts, media, stories, comments, tags,
//! webhook subscriptions, permissions and the batch endpoint.

use crate::catalog::Served;
use crate::core::{Core, Ctx, GraphAnswer};
use crate::errors::GraphError;
use crate::prng::{Stream, mix};
use crate::request::{
    ApiRequest, FieldSpec, encode_pairs, parse_fields, parse_pairs, percent_decode,
};
use crate::time::meta_time;
use crate::tokens::{Authorized, Claims, LoginKind, Revocation, TokenKind, scope_bit, scope_names};
use crate::world::{
    Account, ForeignMedia, Media, MediaMetric, MediaRef, MediaType, Product, World,
};
use chrono::{DateTime, Duration, Utc};
use serde_json::{Map, Value, json};

type GraphResult = Result<Value, GraphError>;

/// Which Instagram account a path is about, if any (for the BUC ledger).
pub(crate) fn target_account(
    core: &Core,
    world: &World,
    auth: &Authorized,
    login: LoginKind,
    path: &[&str],
) -> Option<usize> {
    let first = *path.first()?;
    let visible = |index: usize| match login {
        LoginKind::Instagram => usize::from(auth.claims.subject) == index,
        LoginKind::Facebook => core.ids.pages.iter().enumerate().any(|(p, page)| {
            page.linked == Some(index)
                && match auth.claims.kind {
                    TokenKind::User => auth.claims.has_asset(p),
                    TokenKind::Page => usize::from(auth.claims.subject) == p,
                }
        }),
    };
    let index = if first == "me" {
        (login == LoginKind::Instagram).then_some(usize::from(auth.claims.subject))?
    } else if let Some(account) = world.account_by_id(first) {
        account.index
    } else {
        world.media(first)?.0
    };
    visible(index).then_some(index)
}

fn fields_param(ctx: &Ctx<'_>, default: &str) -> Result<Vec<FieldSpec>, GraphError> {
    let text = ctx
        .req
        .param("fields")
        .filter(|f| !f.trim().is_empty())
        .unwrap_or(default);
    parse_fields(text).map_err(GraphError::param)
}

/// Dispatches a path (after the version) to its handler.
pub(crate) fn route(ctx: &mut Ctx<'_>, path: &[&str]) -> GraphResult {
    match path {
        [] => Err(GraphError::unsupported_method(&ctx.req.method)),
        ["me"] if ctx.login == LoginKind::Facebook => facebook_me(ctx),
        ["me", "accounts"] if ctx.login == LoginKind::Facebook => page_list(ctx),
        ["me", "permissions"] => permissions(ctx, None),
        ["me", "permissions", name] => permissions(ctx, Some(name)),
        ["me", rest @ ..] if ctx.login == LoginKind::Instagram => {
            let index = usize::from(ctx.auth.claims.subject);
            account_path(ctx, index, rest)
        }
        [id] => node(ctx, id),
        [id, edge] => node_edge(ctx, id, edge),
        [_, _, rest @ ..] => Err(GraphError::unknown_path(&format!("/{}", rest.join("/")))),
    }
}

fn require_get(ctx: &Ctx<'_>, id: &str) -> Result<(), GraphError> {
    if ctx.req.method == "GET" {
        Ok(())
    } else {
        Err(GraphError::unsupported_request(&ctx.req.method, id))
    }
}

fn facebook_me(ctx: &mut Ctx<'_>) -> GraphResult {
    require_get(ctx, "me")?;
    let ids = &ctx.core.ids;
    if ctx.auth.claims.kind == TokenKind::Page {
        let page = ids
            .pages
            .get(usize::from(ctx.auth.claims.subject))
            .ok_or_else(GraphError::token_unparsable)?;
        let id = page.id.clone();
        return page_node(ctx, &id);
    }
    let mut out = Map::new();
    for field in fields_param(ctx, "id,name")? {
        let value = match field.name.as_str() {
            "id" => json!(ids.fb_user_id),
            "name" => json!(ids.fb_user_name),
            "short_name" | "first_name" => json!("Maya"),
            "last_name" => json!("Okafor"),
            "email" if ctx.has_scope("email") => json!("maya@example.com"),
            "email" => continue,
            "accounts" => page_list_value(ctx, &field)?,
            other => return Err(GraphError::nonexisting_field(other, "User")),
        };
        out.insert(field.name.clone(), value);
    }
    Ok(Value::Object(out))
}

fn page_token(ctx: &Ctx<'_>, page_index: usize) -> String {
    let user = &ctx.auth.claims;
    let claims = Claims {
        kind: TokenKind::Page,
        login: LoginKind::Facebook,
        subject: u8::try_from(page_index).unwrap_or(0),
        scopes: user.scopes,
        assets: user.assets,
        long_lived: user.long_lived,
        issued_at: user.issued_at,
        // A Page token obtained with a long-lived user token does not expire.
        expires_at: if user.long_lived {
            None
        } else {
            user.expires_at
        },
        nonce: user.nonce ^ (page_index as u32 + 1),
    };
    ctx.core.ids.encode(&claims)
}

fn page_fields(ctx: &mut Ctx<'_>, index: usize, fields: &[FieldSpec]) -> GraphResult {
    let page = ctx
        .core
        .ids
        .pages
        .get(index)
        .cloned()
        .ok_or_else(GraphError::unknown_error)?;
    let mut out = Map::new();
    for field in fields {
        let value = match field.name.as_str() {
            "id" => json!(page.id),
            "name" => json!(page.name),
            "category" => json!(page.category),
            "category_list" => json!([{ "id": page.category_id, "name": page.category }]),
            "access_token" => json!(page_token(ctx, index)),
            "tasks" => json!([
                "ANALYZE",
                "ADVERTISE",
                "MESSAGING",
                "MODERATE",
                "CREATE_CONTENT",
                "MANAGE"
            ]),
            "instagram_business_account" | "connected_instagram_account" => {
                match page.linked.and_then(|i| ctx.world.accounts.get(i)) {
                    Some(account) => {
                        let sub = field.sub.clone().unwrap_or_else(|| vec![plain("id")]);
                        let index = account.index;
                        ig_user_fields(ctx, index, &sub, false)?
                    }
                    None => continue,
                }
            }
            "link" => json!(format!("https://www.facebook.com/{}", page.id)),
            "fan_count" | "followers_count" => json!(1200 + index * 37),
            other => return Err(GraphError::nonexisting_field(other, "Page")),
        };
        out.insert(field.name.clone(), value);
    }
    if !out.contains_key("id") {
        out.insert("id".into(), json!(page.id));
    }
    Ok(Value::Object(out))
}

fn plain(name: &str) -> FieldSpec {
    FieldSpec {
        name: name.into(),
        modifiers: Vec::new(),
        sub: None,
    }
}

fn page_node(ctx: &mut Ctx<'_>, id: &str) -> GraphResult {
    require_get(ctx, id)?;
    let Some((index, _)) = ctx.core.ids.page(id) else {
        return Err(GraphError::unsupported_request(&ctx.req.method, id));
    };
    let granted = match ctx.auth.claims.kind {
        TokenKind::User => ctx.auth.claims.has_asset(index),
        TokenKind::Page => usize::from(ctx.auth.claims.subject) == index,
    };
    if !granted {
        return Err(GraphError::unsupported_request(&ctx.req.method, id));
    }
    if !ctx.has_scope("pages_read_engagement") {
        return Err(GraphError::missing_permission("pages_read_engagement"));
    }
    let fields = fields_param(ctx, "id,name")?;
    page_fields(ctx, index, &fields)
}

fn page_list(ctx: &mut Ctx<'_>) -> GraphResult {
    require_get(ctx, "accounts")?;
    let spec = FieldSpec {
        name: "accounts".into(),
        modifiers: Vec::new(),
        sub: Some(fields_param(
            ctx,
            "access_token,category,category_list,name,id,tasks",
        )?),
    };
    page_list_value(ctx, &spec)
}

/// `/me/accounts`: the Pages the user granted, cursor-paginated.
fn page_list_value(ctx: &mut Ctx<'_>, spec: &FieldSpec) -> GraphResult {
    let granted: Vec<usize> =
        if ctx.has_scope("pages_show_list") && ctx.auth.claims.kind == TokenKind::User {
            (0..ctx.core.ids.pages.len())
                .filter(|i| ctx.auth.claims.has_asset(*i))
                .collect()
        } else {
            Vec::new()
        };
    let keys: Vec<String> = granted.iter().map(|i| format!("p{i}")).collect();
    let window = cursor_window(ctx, spec, &keys, 25, 100)?;
    let fields = spec.sub.clone().unwrap_or_default();
    let mut data = Vec::new();
    for position in window.range.clone() {
        data.push(page_fields(ctx, granted[position], &fields)?);
    }
    let mut out = Map::new();
    out.insert("data".into(), Value::Array(data));
    if let Some(paging) = window.paging(ctx, "me/accounts", &keys) {
        out.insert("paging".into(), paging);
    }
    let summary = ctx
        .req
        .param("summary")
        .is_some_and(|s| s == "1" || s == "true" || s.contains("total_count"));
    if summary {
        out.insert("summary".into(), json!({ "total_count": granted.len() }));
    }
    Ok(Value::Object(out))
}

fn node(ctx: &mut Ctx<'_>, id: &str) -> GraphResult {
    if ctx.core.ids.page(id).is_some() && ctx.login == LoginKind::Facebook {
        return page_node(ctx, id);
    }
    if id == ctx.core.ids.fb_user_id && ctx.login == LoginKind::Facebook {
        return facebook_me(ctx);
    }
    if let Some(account) = ctx.world.account_by_id(id) {
        let index = account.index;
        return account_path(ctx, index, &[]);
    }
    if ctx.world.media(id).is_some() {
        return media_node(ctx, id);
    }
    Err(if id.bytes().all(|b| b.is_ascii_digit()) {
        GraphError::unsupported_request(&ctx.req.method, id)
    } else {
        GraphError::unknown_path(&format!("/{id}"))
    })
}

fn node_edge(ctx: &mut Ctx<'_>, id: &str, edge: &str) -> GraphResult {
    if ctx.login == LoginKind::Facebook
        && let Some((index, _)) = ctx.core.ids.page(id)
    {
        return match edge {
            "subscribed_apps" => page_subscriptions(ctx, index),
            other => Err(GraphError::nonexisting_field(other, "Page")),
        };
    }
    if let Some(account) = ctx.world.account_by_id(id) {
        let index = account.index;
        return account_path(ctx, index, &[edge]);
    }
    if ctx.world.media(id).is_some() {
        return media_edge(ctx, id, edge);
    }
    Err(GraphError::unsupported_request(&ctx.req.method, id))
}

/// `/{ig-user-id}` and its edges, after the access check.
fn account_path(ctx: &mut Ctx<'_>, index: usize, rest: &[&str]) -> GraphResult {
    let id = ctx
        .world
        .accounts
        .get(index)
        .map(|a| a.ig_user_id.clone())
        .unwrap_or_default();
    if !ctx.can_see_account(index) {
        return Err(GraphError::unsupported_request(&ctx.req.method, &id));
    }
    match rest {
        [] => {
            require_get(ctx, &id)?;
            if !ctx.has_scope(ctx.basic_scope()) {
                return Err(GraphError::no_permission());
            }
            let fields = fields_param(
                ctx,
                if ctx.login == LoginKind::Instagram {
                    "id,user_id,username"
                } else {
                    "id"
                },
            )?;
            ig_user_fields(ctx, index, &fields, ctx.login == LoginKind::Instagram)
        }
        ["insights"] => {
            require_get(ctx, &id)?;
            crate::insights::user_insights(ctx, index)
        }
        ["subscribed_apps"] if ctx.login == LoginKind::Instagram => {
            instagram_subscriptions(ctx, index)
        }
        [edge @ ("media" | "stories" | "tags")] => {
            require_get(ctx, &id)?;
            if !ctx.has_scope(ctx.basic_scope()) {
                return Err(GraphError::no_permission());
            }
            let spec = FieldSpec {
                name: edge.to_string(),
                modifiers: Vec::new(),
                sub: Some(fields_param(ctx, "id")?),
            };
            account_edge(ctx, index, &spec, true)
        }
        [other] => Err(GraphError::nonexisting_field(other, "IGUser")),
        [_, rest @ ..] => Err(GraphError::unknown_path(&format!("/{}", rest.join("/")))),
    }
}

fn cdn(ctx: &Ctx<'_>, path: &str) -> String {
    format!("{}/cdn.instagram.com/{path}", ctx.base)
}

fn ig_user_fields(
    ctx: &mut Ctx<'_>,
    index: usize,
    fields: &[FieldSpec],
    instagram_me: bool,
) -> GraphResult {
    let world = ctx.world;
    let account: &Account = world
        .accounts
        .get(index)
        .ok_or_else(GraphError::unknown_error)?;
    let now = ctx.now;
    let mut out = Map::new();
    for field in fields {
        let value = match field.name.as_str() {
            "id" => json!(if instagram_me {
                &account.app_scoped_id
            } else {
                &account.ig_user_id
            }),
            "user_id" if ctx.login == LoginKind::Instagram => json!(account.ig_user_id),
            "ig_id" => json!(account.legacy_id.parse::<u64>().unwrap_or(0)),
            "legacy_instagram_user_id" => json!(account.legacy_id),
            "username" => json!(account.username),
            "name" => json!(account.name),
            "biography" => json!(account.biography),
            "website" if account.website.is_empty() => continue,
            "website" => json!(account.website),
            "profile_picture_url" => {
                json!(cdn(ctx, &format!("profile/{}.svg", account.ig_user_id)))
            }
            "followers_count" => json!(account.followers_at(now)),
            "follows_count" => json!(account.follows_count),
            "media_count" => json!(account.visible_media(now).len()),
            "has_profile_pic" | "is_published" => json!(true),
            "account_type" if ctx.login == LoginKind::Instagram => json!(if index == 0 {
                "MEDIA_CREATOR"
            } else {
                "BUSINESS"
            }),
            "media" | "stories" | "tags" => account_edge(ctx, index, field, false)?,
            "mentioned_media" => mentioned_media(ctx, index, field)?,
            "mentioned_comment" => mentioned_comment(ctx, index, field)?,
            other => return Err(GraphError::nonexisting_field(other, "IGUser")),
        };
        out.insert(field.name.clone(), value);
    }
    if !out.contains_key("id") {
        out.insert(
            "id".into(),
            json!(if instagram_me {
                &account.app_scoped_id
            } else {
                &account.ig_user_id
            }),
        );
    }
    Ok(Value::Object(out))
}

/// The item a `mentioned_*` expansion names with its id modifier (`media_id`, `comment_id`),
/// among the account's mentions written by "now". Meta answers any other id, whether unknown,
/// not yet written or not mentioning this account, as an object that does not exist (100/33).
fn find_mention<'w, T>(
    ctx: &Ctx<'w>,
    index: usize,
    field: &FieldSpec,
    modifier: &str,
    items: impl Fn(&'w Account) -> &'w [T],
    id_and_time: impl Fn(&T) -> (&str, DateTime<Utc>),
) -> Result<&'w T, GraphError> {
    let Some(id) = field.modifier(modifier) else {
        return Err(GraphError::param(format!(
            "The parameter {modifier} is required"
        )));
    };
    let account = ctx
        .world
        .accounts
        .get(index)
        .ok_or_else(GraphError::unknown_error)?;
    items(account)
        .iter()
        .find(|item| {
            let (item_id, written) = id_and_time(item);
            item_id == id && written <= ctx.now
        })
        .ok_or_else(|| GraphError::unsupported_request("get", id))
}

fn mentioned_media(ctx: &mut Ctx<'_>, index: usize, field: &FieldSpec) -> GraphResult {
    let media = find_mention(
        ctx,
        index,
        field,
        "media_id",
        |account| account.tagged.as_slice(),
        |media| (media.id.as_str(), media.timestamp),
    )?;
    let fields = field.sub.clone().unwrap_or_else(|| vec![plain("id")]);
    foreign_fields(ctx, media, &fields)
}

/// `mentioned_comment.comment_id(ID){fields}`: a comment under someone else's post that
/// @mentions the account. Meta documents the fields `id` (the default), `text`, `timestamp`,
/// `like_count` and `media`, and ask for the comments permission.
fn mentioned_comment(ctx: &mut Ctx<'_>, index: usize, field: &FieldSpec) -> GraphResult {
    if !ctx.has_scope(ctx.comments_scope()) {
        return Err(GraphError::no_permission());
    }
    let comment = find_mention(
        ctx,
        index,
        field,
        "comment_id",
        |account| account.mentioning_comments.as_slice(),
        |comment| (comment.id.as_str(), comment.timestamp),
    )?;
    let fields = field.sub.clone().unwrap_or_else(|| vec![plain("id")]);
    let mut out = Map::new();
    for field in &fields {
        let value = match field.name.as_str() {
            "id" => json!(comment.id),
            "text" => json!(comment.text),
            "timestamp" => json!(meta_time(comment.timestamp)),
            "like_count" => json!(comment.like_count),
            "media" => {
                let mut media = Map::new();
                for sub in field.sub.as_deref().unwrap_or(&[plain("id")]) {
                    let value = match sub.name.as_str() {
                        "id" => json!(comment.media_id),
                        "media_product_type" => json!(comment.media_product.as_str()),
                        other => return Err(GraphError::nonexisting_field(other, "IGMedia")),
                    };
                    media.insert(sub.name.clone(), value);
                }
                Value::Object(media)
            }
            other => return Err(GraphError::nonexisting_field(other, "IGComment")),
        };
        out.insert(field.name.clone(), value);
    }
    Ok(Value::Object(out))
}

fn foreign_fields(ctx: &Ctx<'_>, media: &ForeignMedia, fields: &[FieldSpec]) -> GraphResult {
    let mut out = Map::new();
    for field in fields {
        let value = match field.name.as_str() {
            "id" => json!(media.id),
            "caption" => json!(media.caption),
            "media_type" => json!(media.media_type.as_str()),
            "media_product_type" => json!("FEED"),
            "media_url" => json!(cdn(ctx, &format!("media/{}.svg", media.id))),
            "permalink" => json!(format!("https://www.instagram.com/p/{}/", media.shortcode)),
            "timestamp" => json!(meta_time(media.timestamp)),
            "username" => json!(media.username),
            "like_count" => json!(media.like_count),
            "comments_count" => json!(media.comments_count),
            other => return Err(GraphError::nonexisting_field(other, "IGMedia")),
        };
        out.insert(field.name.clone(), value);
    }
    Ok(Value::Object(out))
}

/// `/media`, `/stories`, `/tags` of an account, as an edge or as an expanded field.
fn account_edge(ctx: &mut Ctx<'_>, index: usize, spec: &FieldSpec, top_level: bool) -> GraphResult {
    let world = ctx.world;
    let account = world
        .accounts
        .get(index)
        .ok_or_else(GraphError::unknown_error)?;
    let now = ctx.now;
    let since = ctx
        .req
        .param("since")
        .filter(|_| top_level)
        .map(parse_time)
        .transpose()?;
    let until = ctx
        .req
        .param("until")
        .filter(|_| top_level)
        .map(parse_time)
        .transpose()?;
    let in_range =
        |t: DateTime<Utc>| t <= now && since.is_none_or(|s| t >= s) && until.is_none_or(|u| t <= u);
    let fields = spec.sub.clone().unwrap_or_else(|| vec![plain("id")]);
    let mut data = Vec::new();
    let edge_path = format!("{}/{}", account.ig_user_id, spec.name);
    let (keys, window) = match spec.name.as_str() {
        "tags" => {
            let items: Vec<&ForeignMedia> = account
                .tagged
                .iter()
                .rev()
                .filter(|m| in_range(m.timestamp))
                .collect();
            render_window(
                ctx,
                spec,
                &items,
                |m| m.id.clone(),
                |ctx, m| foreign_fields(ctx, m, &fields),
                &mut data,
            )?
        }
        name => {
            let source: &[Media] = if name == "stories" {
                &account.stories
            } else {
                &account.media
            };
            let items: Vec<&Media> = source
                .iter()
                .rev()
                .filter(|m| in_range(m.timestamp))
                .filter(|m| name != "stories" || now - m.timestamp < Duration::hours(24))
                .take(10_000)
                .collect();
            render_window(
                ctx,
                spec,
                &items,
                |m| m.id.clone(),
                |ctx, m| media_fields(ctx, m, &fields),
                &mut data,
            )?
        }
    };
    let mut out = Map::new();
    out.insert("data".into(), Value::Array(data));
    let paging = if top_level {
        window.paging(ctx, &edge_path, &keys)
    } else {
        window.cursors(&keys)
    };
    if let Some(paging) = paging {
        out.insert("paging".into(), paging);
    }
    Ok(Value::Object(out))
}

/// Renders the page of `items` that the cursors and limit select; returns the keys and window.
fn render_window<T: Copy>(
    ctx: &mut Ctx<'_>,
    spec: &FieldSpec,
    items: &[T],
    key: impl Fn(T) -> String,
    render: impl Fn(&mut Ctx<'_>, T) -> GraphResult,
    data: &mut Vec<Value>,
) -> Result<(Vec<String>, CursorWindow), GraphError> {
    let keys: Vec<String> = items.iter().map(|item| key(*item)).collect();
    let window = cursor_window(ctx, spec, &keys, 25, 100)?;
    for position in window.range.clone() {
        data.push(render(ctx, items[position])?);
    }
    Ok((keys, window))
}

fn parse_time(text: &str) -> Result<DateTime<Utc>, GraphError> {
    if let Ok(seconds) = text.trim().parse::<i64>() {
        return DateTime::from_timestamp(seconds, 0)
            .ok_or_else(|| GraphError::param("The since/until parameter is out of range"));
    }
    crate::time::parse_instant(text.trim()).ok_or_else(|| {
        GraphError::param(format!("The parameter value '{text}' is not a valid time"))
    })
}

pub(crate) fn parse_unix(text: &str) -> Result<DateTime<Utc>, GraphError> {
    parse_time(text)
}

fn media_node(ctx: &mut Ctx<'_>, id: &str) -> GraphResult {
    require_get(ctx, id)?;
    let world = ctx.world;
    let (owner, found) = world
        .media(id)
        .ok_or_else(|| GraphError::unsupported_request("get", id))?;
    check_media_access(ctx, owner, id, found)?;
    let fields = fields_param(ctx, "id")?;
    match found {
        MediaRef::Own(media) => media_fields(ctx, media, &fields),
        MediaRef::Child(parent, child) => child_fields(ctx, parent, child, &fields),
        MediaRef::Tagged => Err(GraphError::unsupported_request("get", id)),
    }
}

fn check_media_access(
    ctx: &Ctx<'_>,
    owner: usize,
    id: &str,
    found: MediaRef<'_>,
) -> Result<(), GraphError> {
    let visible = match found {
        MediaRef::Own(media) => {
            media.timestamp <= ctx.now
                && (media.product != Product::Story
                    || ctx.now - media.timestamp < Duration::hours(24))
        }
        MediaRef::Child(parent, _) => parent.timestamp <= ctx.now,
        MediaRef::Tagged => false,
    };
    if !visible || !ctx.can_see_account(owner) {
        return Err(GraphError::unsupported_request(&ctx.req.method, id));
    }
    if !ctx.has_scope(ctx.basic_scope()) {
        return Err(GraphError::no_permission());
    }
    Ok(())
}

fn media_edge(ctx: &mut Ctx<'_>, id: &str, edge: &str) -> GraphResult {
    let world = ctx.world;
    let (owner, found) = world
        .media(id)
        .ok_or_else(|| GraphError::unsupported_request("get", id))?;
    check_media_access(ctx, owner, id, found)?;
    require_get(ctx, id)?;
    match (edge, found) {
        ("insights", MediaRef::Own(media)) => {
            let metric = ctx.req.param("metric").map(str::to_string);
            let breakdown = ctx.req.param("breakdown").map(str::to_string);
            crate::insights::media_insights(ctx, media, metric.as_deref(), breakdown.as_deref())
        }
        ("insights", MediaRef::Child(_, _)) => Err(GraphError::param(format!(
            "Incompatible metric ({}) with the media",
            ctx.req.param("metric").unwrap_or_default()
        ))),
        ("children", MediaRef::Own(media)) => {
            let fields = fields_param(ctx, "id")?;
            let mut data = Vec::new();
            for child in &media.children {
                data.push(child_fields(ctx, media, child, &fields)?);
            }
            Ok(json!({ "data": data }))
        }
        ("comments", MediaRef::Own(media)) => {
            let spec = FieldSpec {
                name: "comments".into(),
                modifiers: Vec::new(),
                sub: Some(fields_param(ctx, "id,text,timestamp")?),
            };
            comments(ctx, media, &spec, true)
        }
        (other, _) => Err(GraphError::nonexisting_field(other, "IGMedia")),
    }
}

fn media_url(ctx: &Ctx<'_>, media: &Media) -> Option<String> {
    if !media.has_media_url {
        return None;
    }
    Some(match media.media_type {
        MediaType::Video => cdn(ctx, &format!("media/{}.mp4", media.id)),
        MediaType::CarouselAlbum => cdn(
            ctx,
            &format!(
                "media/{}.svg",
                media
                    .children
                    .first()
                    .map(|c| c.id.as_str())
                    .unwrap_or(&media.id)
            ),
        ),
        MediaType::Image => cdn(ctx, &format!("media/{}.svg", media.id)),
    })
}

fn permalink(account: &Account, media: &Media) -> String {
    match media.product {
        Product::Story => format!(
            "https://instagram.com/stories/{}/{}",
            account.username,
            mix(&[media.timestamp.timestamp() as u64]) % 10_000_000_000_000_000_000
        ),
        Product::Reels => format!("https://www.instagram.com/reel/{}/", media.shortcode),
        Product::Feed => format!("https://www.instagram.com/p/{}/", media.shortcode),
    }
}

fn media_fields(ctx: &mut Ctx<'_>, media: &Media, fields: &[FieldSpec]) -> GraphResult {
    let world = ctx.world;
    let account = world
        .accounts
        .get(media.owner)
        .ok_or_else(GraphError::unknown_error)?;
    let now = ctx.now;
    let fb = ctx.login == LoginKind::Facebook;
    let mut out = Map::new();
    for field in fields {
        let value = match field.name.as_str() {
            "id" => json!(media.id),
            "caption" => match &media.caption {
                Some(caption) => json!(caption),
                None => continue,
            },
            "media_type" => json!(media.media_type.as_str()),
            "media_product_type" => json!(media.product.as_str()),
            "media_url" => match media_url(ctx, media) {
                Some(url) => json!(url),
                None => continue,
            },
            "thumbnail_url" if media.media_type == MediaType::Video => {
                json!(cdn(ctx, &format!("media/{}.svg", media.id)))
            }
            "thumbnail_url" => continue,
            "permalink" => json!(permalink(account, media)),
            "shortcode" => json!(media.shortcode),
            "timestamp" => json!(meta_time(media.timestamp)),
            "username" => json!(account.username),
            "like_count" => json!(if media.product == Product::Story {
                0
            } else {
                media.value(MediaMetric::Likes, now)
            }),
            "comments_count" => json!(if media.product == Product::Story {
                0
            } else {
                media.value(MediaMetric::Comments, now)
            }),
            "saved_count" => json!(media.value(MediaMetric::Saved, now)),
            "shares_count" => json!(media.value(MediaMetric::Shares, now)),
            "reposts_count" => json!(media.value(MediaMetric::Reposts, now)),
            "total_like_count" if fb && crate::catalog::has_total_counts(now) => {
                json!(media.value(MediaMetric::Likes, now))
            }
            "total_comments_count" if fb && crate::catalog::has_total_counts(now) => {
                json!(media.value(MediaMetric::Comments, now))
            }
            "total_views_count" if fb && crate::catalog::has_total_counts(now) => {
                json!(media.value(MediaMetric::Views, now))
            }
            "is_comment_enabled" => json!(media.product != Product::Story),
            "is_shared_to_feed" if media.product == Product::Reels => {
                json!(mix(&[media.timestamp.timestamp() as u64]).is_multiple_of(2))
            }
            "is_shared_to_feed" => continue,
            "is_ai_generated" => json!(false),
            "media_audio_type" if crate::catalog::has_link_clicks(now) => match media.media_type {
                MediaType::Video => json!(if media.has_media_url {
                    "ORIGINAL"
                } else {
                    "LICENSED"
                }),
                _ => continue,
            },
            "owner" => {
                let mut owner = Map::new();
                owner.insert("id".into(), json!(account.ig_user_id));
                if field
                    .sub
                    .as_ref()
                    .is_some_and(|s| s.iter().any(|f| f.name == "username"))
                {
                    owner.insert("username".into(), json!(account.username));
                }
                Value::Object(owner)
            }
            "children" if media.media_type == MediaType::CarouselAlbum => {
                let sub = field.sub.clone().unwrap_or_else(|| vec![plain("id")]);
                let mut data = Vec::new();
                for child in &media.children {
                    data.push(child_fields(ctx, media, child, &sub)?);
                }
                json!({ "data": data })
            }
            "children" => continue,
            "comments" => comments(ctx, media, field, false)?,
            "insights" => {
                if !ctx.has_scope(ctx.insights_scope()) {
                    return Err(GraphError::no_permission());
                }
                // Meta counts an expanded insights field as a call per media.
                ctx.extra_calls += 1;
                let metric = field.modifier("metric").map(str::to_string);
                let breakdown = field.modifier("breakdown").map(str::to_string);
                crate::insights::media_insights_value(
                    ctx,
                    media,
                    metric.as_deref(),
                    breakdown.as_deref(),
                )?
            }
            other => return Err(GraphError::nonexisting_field(other, "IGMedia")),
        };
        out.insert(field.name.clone(), value);
    }
    Ok(Value::Object(out))
}

fn child_fields(
    ctx: &Ctx<'_>,
    parent: &Media,
    child: &crate::world::Child,
    fields: &[FieldSpec],
) -> GraphResult {
    let account = ctx
        .world
        .accounts
        .get(parent.owner)
        .ok_or_else(GraphError::unknown_error)?;
    let mut out = Map::new();
    for field in fields {
        let value = match field.name.as_str() {
            "id" => json!(child.id),
            "media_type" => json!(child.media_type.as_str()),
            "media_url" => json!(cdn(
                ctx,
                &format!(
                    "media/{}.{}",
                    child.id,
                    if child.media_type == MediaType::Video {
                        "mp4"
                    } else {
                        "svg"
                    }
                )
            )),
            "thumbnail_url" if child.media_type == MediaType::Video => {
                json!(cdn(ctx, &format!("media/{}.svg", child.id)))
            }
            "thumbnail_url" => continue,
            "permalink" => json!(format!("https://www.instagram.com/p/{}/", child.shortcode)),
            "shortcode" => json!(child.shortcode),
            "timestamp" => json!(meta_time(parent.timestamp)),
            "username" => json!(account.username),
            "is_comment_enabled" => json!(false),
            "owner" => json!({ "id": account.ig_user_id }),
            other => return Err(GraphError::nonexisting_field(other, "IGMedia")),
        };
        out.insert(field.name.clone(), value);
    }
    Ok(Value::Object(out))
}

const COMMENT_TEXTS: [&str; 10] = [
    "This looks amazing!",
    "What hydration did you use?",
    "Saving this for the weekend 🙌",
    "That crumb though 😍",
    "Recipe please!",
    "My starter never rises like this, any tips?",
    "Beautiful scoring.",
    "Made this yesterday, turned out great.",
    "How long was the bulk ferment?",
    "Goals.",
];

/// Comments are generated from the media's comment count at "now"; each one is posted when the
/// growth curve first reaches its rank.
fn comments(ctx: &mut Ctx<'_>, media: &Media, spec: &FieldSpec, top_level: bool) -> GraphResult {
    if !ctx.has_scope(ctx.basic_scope()) || !ctx.has_scope(ctx.comments_scope()) {
        return Err(GraphError::no_permission());
    }
    let now = ctx.now;
    let count = media.value(MediaMetric::Comments, now).min(2_000);
    let final_count = media.finals.comments;
    let mut items: Vec<(String, DateTime<Utc>, usize)> = (0..count)
        .map(|k| {
            let target = (k as f64 + 1.0) / final_count.max(1.0);
            let (mut lo, mut hi) = (0.0f64, 24.0 * 800.0);
            for _ in 0..40 {
                let mid = (lo + hi) / 2.0;
                if crate::world::growth_curve(media.product, mid) >= target {
                    hi = mid
                } else {
                    lo = mid
                }
            }
            let at = media.timestamp + Duration::seconds((hi * 3600.0) as i64);
            let id = format!(
                "17{:016}",
                mix(&[
                    ctx.core.seed,
                    media.id.len() as u64,
                    k,
                    media.timestamp.timestamp() as u64
                ]) % 10_000_000_000_000_000
            );
            (id, at.min(now), k as usize)
        })
        .collect();
    items.reverse();
    let keys: Vec<String> = items.iter().map(|(id, _, _)| id.clone()).collect();
    let window = cursor_window(ctx, spec, &keys, 25, 100)?;
    let fields = spec
        .sub
        .clone()
        .unwrap_or_else(|| vec![plain("id"), plain("text"), plain("timestamp")]);
    let mut data = Vec::new();
    for position in window.range.clone() {
        let (id, at, k) = &items[position];
        let mut stream =
            Stream::new(&[ctx.core.seed, *k as u64, media.timestamp.timestamp() as u64]);
        let username = format!(
            "{}{}",
            ["crumb", "loaf", "rye", "bake"][stream.below(4) as usize],
            stream.below(999)
        );
        let mut out = Map::new();
        for field in &fields {
            let value = match field.name.as_str() {
                "id" => json!(id),
                "text" => json!(COMMENT_TEXTS[stream.below(COMMENT_TEXTS.len() as u64) as usize]),
                "timestamp" => json!(meta_time(*at)),
                "username" => json!(username),
                "like_count" => json!(stream.below(12)),
                "hidden" => json!(false),
                "from" => {
                    json!({ "id": format!("{}", 17_841_400_000_000_000u64 + stream.below(1_000_000_000)), "username": username })
                }
                "media" => json!({ "id": media.id, "media_product_type": media.product.as_str() }),
                "replies" => json!({ "data": [] }),
                other => return Err(GraphError::nonexisting_field(other, "IGComment")),
            };
            out.insert(field.name.clone(), value);
        }
        data.push(Value::Object(out));
    }
    let mut out = Map::new();
    out.insert("data".into(), Value::Array(data));
    let paging = if top_level {
        window.paging(ctx, &format!("{}/comments", media.id), &keys)
    } else {
        window.cursors(&keys)
    };
    if let Some(paging) = paging {
        out.insert("paging".into(), paging);
    }
    Ok(Value::Object(out))
}

// ---- cursor paging ------------------------------------------------------------------------

pub(crate) struct CursorWindow {
    pub(crate) range: std::ops::Range<usize>,
    limit: usize,
    total: usize,
}

fn encode_cursor(key: &str) -> String {
    format!("QVFI{}", hex::encode(key))
}

fn decode_cursor(cursor: &str) -> Option<String> {
    cursor
        .strip_prefix("QVFI")
        .and_then(|h| hex::decode(h).ok())
        .and_then(|b| String::from_utf8(b).ok())
}

fn cursor_window(
    ctx: &Ctx<'_>,
    spec: &FieldSpec,
    keys: &[String],
    default_limit: usize,
    max_limit: usize,
) -> Result<CursorWindow, GraphError> {
    let top_level = spec.modifiers.is_empty();
    let limit_text = spec.modifier("limit").or_else(|| {
        if top_level {
            ctx.req.param("limit")
        } else {
            None
        }
    });
    let limit = match limit_text {
        Some(text) => match text.trim().parse::<i64>() {
            Ok(n) if n > 0 => usize::try_from(n).unwrap_or(max_limit).min(max_limit),
            Ok(_) => default_limit,
            Err(_) => return Err(GraphError::param("Param limit must be a number")),
        },
        None => default_limit,
    };
    let position_of = |name: &str| -> Result<Option<usize>, GraphError> {
        let Some(cursor) = spec
            .modifier(name)
            .or_else(|| if top_level { ctx.req.param(name) } else { None })
        else {
            return Ok(None);
        };
        let key = decode_cursor(cursor)
            .ok_or_else(|| GraphError::param(format!("The {name} cursor is not valid")))?;
        Ok(Some(keys.iter().position(|k| *k == key).ok_or_else(
            || GraphError::param(format!("The {name} cursor is not valid")),
        )?))
    };
    let range = if let Some(after) = position_of("after")? {
        (after + 1).min(keys.len())..(after + 1 + limit).min(keys.len())
    } else if let Some(before) = position_of("before")? {
        before.saturating_sub(limit)..before
    } else {
        0..limit.min(keys.len())
    };
    Ok(CursorWindow {
        range,
        limit,
        total: keys.len(),
    })
}

impl CursorWindow {
    fn cursors(&self, keys: &[String]) -> Option<Value> {
        if self.range.is_empty() {
            return None;
        }
        Some(json!({ "cursors": {
            "before": encode_cursor(&keys[self.range.start]),
            "after": encode_cursor(&keys[self.range.end - 1]),
        }}))
    }

    /// Cursors plus `next` (absent on the last page) and `previous` (absent on the first).
    fn paging(&self, ctx: &Ctx<'_>, path: &str, keys: &[String]) -> Option<Value> {
        let mut paging = self.cursors(keys)?;
        let base = format!("{}/{}", ctx.graph_root(), path);
        if let Some(object) = paging.as_object_mut() {
            if self.range.end < self.total {
                let url = page_url(
                    ctx,
                    &base,
                    &[
                        ("limit", self.limit.to_string()),
                        ("after", encode_cursor(&keys[self.range.end - 1])),
                    ],
                );
                object.insert("next".into(), json!(url));
            }
            if self.range.start > 0 {
                let url = page_url(
                    ctx,
                    &base,
                    &[
                        ("limit", self.limit.to_string()),
                        ("before", encode_cursor(&keys[self.range.start])),
                    ],
                );
                object.insert("previous".into(), json!(url));
            }
        }
        Some(paging)
    }
}

/// A paging URL: the request's own query with some parameters replaced. The access token is
/// kept only if the request sent it in the query (as Meta does).
pub(crate) fn page_url(ctx: &Ctx<'_>, base: &str, replace: &[(&str, String)]) -> String {
    let keep_token = ctx.req.token_in_query();
    let mut pairs: Vec<(String, String)> = ctx
        .req
        .query
        .iter()
        .filter(|(k, _)| {
            !replace.iter().any(|(r, _)| r == k) && !["after", "before"].contains(&k.as_str())
        })
        .filter(|(k, _)| keep_token || k != "access_token")
        .filter(|(k, _)| k != "appsecret_proof" || keep_token)
        .cloned()
        .collect();
    pairs.extend(replace.iter().map(|(k, v)| (k.to_string(), v.clone())));
    format!(
        "{base}?{}",
        encode_pairs(pairs.iter().map(|(k, v)| (k.as_str(), v.as_str())))
    )
}

// ---- permissions and subscriptions ---------------------------------------------------------

fn permissions(ctx: &mut Ctx<'_>, name: Option<&str>) -> GraphResult {
    let owner = match ctx.auth.claims.kind {
        TokenKind::User => (ctx.login, ctx.auth.claims.subject),
        TokenKind::Page => (ctx.login, 0),
    };
    match (ctx.req.method.as_str(), name) {
        ("GET", None) => {
            let data: Vec<Value> = scope_names(ctx.scopes)
                .into_iter()
                .map(|p| json!({ "permission": p, "status": "granted" }))
                .collect();
            Ok(json!({ "data": data }))
        }
        ("DELETE", None) => {
            let mut state = ctx.core.lock();
            state
                .tokens
                .per_user
                .insert(owner, (Revocation::Deauthorized, ctx.now));
            state.tokens.removed_scopes.remove(&owner);
            Ok(json!({ "success": true }))
        }
        ("DELETE", Some(permission)) => {
            let bit = scope_bit(permission)
                .ok_or_else(|| GraphError::param(format!("Invalid permission: {permission}")))?;
            let mut state = ctx.core.lock();
            *state.tokens.removed_scopes.entry(owner).or_insert(0) |= bit;
            Ok(json!({ "success": true }))
        }
        (method, _) => Err(GraphError::unsupported_request(method, "permissions")),
    }
}

const INSTAGRAM_WEBHOOK_FIELDS: [&str; 11] = [
    "comments",
    "live_comments",
    "mentions",
    "messages",
    "messaging_postbacks",
    "messaging_seen",
    "messaging_referral",
    "messaging_handover",
    "message_reactions",
    "message_edit",
    "standby",
];

fn subscribed_fields(ctx: &Ctx<'_>, allowed: Option<&[&str]>) -> Result<Vec<String>, GraphError> {
    let Some(text) = ctx.req.param("subscribed_fields") else {
        return Err(GraphError::param(
            "The parameter subscribed_fields is required",
        ));
    };
    let fields: Vec<String> = text
        .split(',')
        .map(|f| f.trim().to_string())
        .filter(|f| !f.is_empty())
        .collect();
    for (index, field) in fields.iter().enumerate() {
        let valid = match allowed {
            Some(list) => list.contains(&field.as_str()),
            None => field.bytes().all(|b| b.is_ascii_lowercase() || b == b'_'),
        };
        if !valid {
            let list = allowed
                .map(|l| l.join(", "))
                .unwrap_or_else(|| "feed, mention, messages, ratings".into());
            return Err(GraphError::param(format!(
                "Param subscribed_fields[{index}] must be one of {{{list}}} - got \"{field}\""
            )));
        }
    }
    Ok(fields)
}

fn subscription_answer(ctx: &Ctx<'_>, object: &str, allowed: Option<&[&str]>) -> GraphResult {
    match ctx.req.method.as_str() {
        "GET" => {
            let state = ctx.core.lock();
            let data: Vec<Value> = state
                .subscriptions
                .get(object)
                .map(|fields| {
                    vec![json!({
                        "category": "Business",
                        "link": "https://insightdesk.example/",
                        "name": ctx.core.ids.app(ctx.login).name,
                        "id": ctx.auth.app_id,
                        "subscribed_fields": fields,
                    })]
                })
                .unwrap_or_default();
            Ok(json!({ "data": data }))
        }
        "POST" => {
            let fields = subscribed_fields(ctx, allowed)?;
            let mut state = ctx.core.lock();
            let entry = state.subscriptions.entry(object.to_string()).or_default();
            for field in fields {
                if !entry.contains(&field) {
                    entry.push(field);
                }
            }
            Ok(json!({ "success": true }))
        }
        "DELETE" => {
            ctx.core.lock().subscriptions.remove(object);
            Ok(json!({ "success": true }))
        }
        method => Err(GraphError::unsupported_request(method, object)),
    }
}

fn page_subscriptions(ctx: &mut Ctx<'_>, index: usize) -> GraphResult {
    let page_id = ctx
        .core
        .ids
        .pages
        .get(index)
        .map(|p| p.id.clone())
        .unwrap_or_default();
    let is_page_token =
        ctx.auth.claims.kind == TokenKind::Page && usize::from(ctx.auth.claims.subject) == index;
    if !is_page_token {
        return Err(GraphError::new(
            210,
            "(#210) A page access token is required to request this resource.",
        ));
    }
    subscription_answer(ctx, &page_id, None)
}

fn instagram_subscriptions(ctx: &mut Ctx<'_>, index: usize) -> GraphResult {
    let id = ctx
        .world
        .accounts
        .get(index)
        .map(|a| a.ig_user_id.clone())
        .unwrap_or_default();
    subscription_answer(ctx, &id, Some(&INSTAGRAM_WEBHOOK_FIELDS))
}

// ---- batch ----------------------------------------------------------------------------------

/// `POST graph.facebook.com[/vNN.0]` with `batch=[...]`: at most 50 items, each answered as
/// `{code, headers, body}` with the body as a JSON string, each counted against rate limits.
pub(crate) fn batch(
    core: &Core,
    req: &ApiRequest,
    version: Served,
    now: DateTime<Utc>,
) -> GraphAnswer {
    let Some(text) = req.param("batch") else {
        return GraphAnswer::error(core, &GraphError::unsupported_method(&req.method));
    };
    let items: Vec<Value> = match serde_json::from_str::<Value>(text) {
        Ok(Value::Array(items)) => items,
        _ => {
            return GraphAnswer::error(
                core,
                &GraphError::param("The parameter batch must be a JSON array of requests"),
            );
        }
    };
    if items.len() > 50 {
        return GraphAnswer::error(
            core,
            &GraphError::new(
                1,
                "(#1) Too many requests in batch message. Maximum batch size is 50",
            ),
        );
    }
    let include_headers = req.param("include_headers") != Some("false");
    let mut results = Vec::with_capacity(items.len());
    let mut ledger_items = Vec::new();
    let mut counted = 0;
    let mut last_app = None;
    for item in &items {
        let Some(sub) = batch_item(req, item, version) else {
            let error = GraphError::param("Each batch item needs a method and a relative_url");
            results.push(json!({ "code": 400, "headers": [], "body": error.body(&core.next_trace()).to_string() }));
            continue;
        };
        let answer = core.graph(&sub, now, true);
        counted += answer.counted;
        last_app = answer.app_id.clone().or(last_app);
        ledger_items.push((
            sub.method.clone(),
            sub.redacted_path(),
            answer.status,
            answer.ig_user_id.clone(),
        ));
        let mut result = Map::new();
        result.insert("code".into(), json!(answer.status));
        if include_headers {
            let mut headers: Vec<Value> =
                vec![json!({ "name": "Content-Type", "value": "text/javascript; charset=UTF-8" })];
            headers.extend(
                answer
                    .headers
                    .iter()
                    .map(|(k, v)| json!({ "name": k, "value": v })),
            );
            result.insert("headers".into(), Value::Array(headers));
        }
        result.insert("body".into(), json!(answer.body.to_string()));
        results.push(Value::Object(result));
    }
    let mut answer = GraphAnswer::ok(Value::Array(results));
    // The envelope itself is one HTTP request; Meta counts the items.
    answer.counted = 0;
    let _ = counted;
    answer.app_id = last_app;
    answer.batch_items = ledger_items;
    answer
}

fn batch_item(parent: &ApiRequest, item: &Value, version: Served) -> Option<ApiRequest> {
    let method = item
        .get("method")
        .and_then(Value::as_str)
        .unwrap_or("GET")
        .to_ascii_uppercase();
    let relative = item.get("relative_url").and_then(Value::as_str)?;
    let (path, query) = match relative.split_once('?') {
        Some((p, q)) => (p, Some(q)),
        None => (relative, None),
    };
    let mut segments: Vec<String> = path
        .split('/')
        .filter(|s| !s.is_empty())
        .map(percent_decode)
        .collect();
    if version.requested != 0
        && segments
            .first()
            .and_then(|s| crate::catalog::parse_version(s))
            .is_none()
    {
        segments.insert(0, format!("v{}.0", version.requested));
    }
    let form = item
        .get("body")
        .and_then(Value::as_str)
        .map(parse_pairs)
        .unwrap_or_default();
    let query = query.map(parse_pairs).unwrap_or_default();
    let own_token = query
        .iter()
        .chain(form.iter())
        .any(|(k, _)| k == "access_token");
    let bearer = if own_token {
        None
    } else {
        parent.token().map(str::to_string)
    };
    Some(ApiRequest {
        method,
        host: parent.host.clone(),
        segments,
        query,
        form,
        bearer,
    })
}
