//! HTTP messages written in `http` fences: requests (with alternative paths) and responses.

use serde::Serialize;
use std::ops::Range;

use crate::context::Ctx;
use crate::diagnostic::Code;
use crate::span::Span;

/// One HTTP message of a fence.
#[derive(Clone, Debug, Serialize)]
#[serde(tag = "kind", rename_all = "lowercase")]
pub enum HttpMessage {
    /// A request: one or more request lines (alternatives), headers, body.
    Request(HttpRequest),
    /// A response: status line, headers, body.
    Response(HttpResponse),
}

/// A request; several request lines in one block are alternative paths of one operation.
#[derive(Clone, Debug, Serialize)]
pub struct HttpRequest {
    /// The request lines, first one primary.
    pub lines: Vec<RequestLine>,
    /// Headers in order of appearance.
    pub headers: Vec<HttpHeader>,
    /// The body, if any.
    pub body: Option<HttpBody>,
}

/// `METHOD target [HTTP/x.y]`.
#[derive(Clone, Debug, Serialize)]
pub struct RequestLine {
    /// Upper-case method.
    pub method: String,
    /// The URL or path as written, split.
    pub target: RequestTarget,
    /// `HTTP/1.1` when the line gives one.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub version: Option<String>,
    /// The whole line.
    pub span: Span,
}

/// A request target: absolute URL or path, split into its parts.
#[derive(Clone, Debug, Serialize)]
pub struct RequestTarget {
    /// Exactly as written.
    pub raw: String,
    /// `https://host` when the target is absolute.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub origin: Option<String>,
    /// A leading `beta`/`v1.0` segment, removed from `path`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub api_version: Option<String>,
    /// The resource path, starting with `/`, placeholders kept as written; empty if none.
    pub path: String,
    /// The query string without `?`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub query: Option<String>,
}

/// `HTTP/x.y code reason`.
#[derive(Clone, Debug, Serialize)]
pub struct StatusLine {
    /// `HTTP/1.1` when given (recovered forms are normalised).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub version: Option<String>,
    /// Status code.
    pub code: u16,
    /// Reason phrase as written.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub reason: Option<String>,
    /// The whole line.
    pub span: Span,
}

/// A response.
#[derive(Clone, Debug, Serialize)]
pub struct HttpResponse {
    /// The status line.
    pub status: StatusLine,
    /// Headers in order of appearance.
    pub headers: Vec<HttpHeader>,
    /// The body, if any.
    pub body: Option<HttpBody>,
}

/// `Name: value`.
#[derive(Clone, Debug, Serialize)]
pub struct HttpHeader {
    /// Name as written.
    pub name: String,
    /// Value, trimmed.
    pub value: String,
    /// The whole line.
    pub span: Span,
}

/// A message body: its text and, when it is JSON, the parsed value.
#[derive(Clone, Debug, Serialize)]
pub struct HttpBody {
    /// The body text, outer blank lines trimmed.
    #[serde(skip)]
    pub text: String,
    /// Where the body is.
    pub span: Span,
    /// The parsed JSON, when the body is JSON and parses.
    pub json: Option<serde_json::Value>,
}

impl HttpMessage {
    /// Headers of either kind of message.
    pub fn headers(&self) -> &[HttpHeader] {
        match self {
            HttpMessage::Request(r) => &r.headers,
            HttpMessage::Response(r) => &r.headers,
        }
    }

    /// Body of either kind of message.
    pub fn body(&self) -> Option<&HttpBody> {
        match self {
            HttpMessage::Request(r) => r.body.as_ref(),
            HttpMessage::Response(r) => r.body.as_ref(),
        }
    }
}

impl HttpHeader {
    /// Case-insensitive name comparison.
    pub fn is(&self, name: &str) -> bool {
        self.name.eq_ignore_ascii_case(name)
    }
}

const METHODS: &[&str] = &["GET", "POST", "PUT", "PATCH", "DELETE", "HEAD", "OPTIONS"];

const CANONICAL_HEADERS: &[&str] = &[
    "Accept",
    "Accept-Language",
    "Authorization",
    "Cache-Control",
    "Content-Language",
    "Content-Length",
    "Content-Location",
    "Content-Range",
    "Content-Type",
    "If-Match",
    "If-None-Match",
    "Location",
    "Prefer",
    "Preference-Applied",
    "Range",
    "Retry-After",
    "User-Agent",
];

/// A line of the fence with its absolute byte range (terminator excluded).
#[derive(Clone, Copy)]
struct Line<'a> {
    text: &'a str,
    start: usize,
}

impl Line<'_> {
    fn range(&self) -> Range<usize> {
        self.start..self.start + self.text.len()
    }
    fn is_blank(&self) -> bool {
        self.text.trim().is_empty()
    }
}

fn lines_of(text: &str, base: usize) -> Vec<Line<'_>> {
    let mut out = Vec::new();
    let mut offset = 0;
    for raw in text.split_inclusive('\n') {
        let line = raw.strip_suffix('\n').unwrap_or(raw);
        let line = line.strip_suffix('\r').unwrap_or(line);
        out.push(Line {
            text: line,
            start: base + offset,
        });
        offset += raw.len();
    }
    out
}

/// Whether the first non-blank line of `content` starts an HTTP message.
pub fn looks_like_http(content: &str) -> bool {
    content
        .lines()
        .find(|l| !l.trim().is_empty())
        .is_some_and(|l| is_status_line(l) || parse_request_line_parts(l).is_some())
}

fn is_status_line(line: &str) -> bool {
    let t = line.trim_start();
    t.get(..4).is_some_and(|p| p.eq_ignore_ascii_case("HTTP"))
        && t
            .get(4..5)
            .is_some_and(|c| c == "/" || c == " " || c == "\t")
}

/// Read the HTTP message of a fence whose content is at `range`; `None` when there is none.
pub(crate) fn read_http(ctx: &mut Ctx<'_>, range: Range<usize>, fence: Range<usize>) -> Option<HttpMessage> {
    let text = ctx.text(range.clone());
    let lines = lines_of(text, range.start);
    let Some(first_idx) = lines.iter().position(|l| !l.is_blank()) else {
        ctx.report_help(
            Code::HttpEmptyBlock,
            fence,
            "this http block is empty",
            "write the request line (`METHOD /path`) or the status line (`HTTP/1.1 200 OK`)",
        );
        return None;
    };
    let first = *lines.get(first_idx)?;
    if is_status_line(first.text) {
        let status = read_status_line(ctx, first)?;
        let (headers, body) = read_headers_and_body(ctx, &lines, first_idx + 1, true);
        return Some(HttpMessage::Response(HttpResponse {
            status,
            headers,
            body,
        }));
    }
    if parse_request_line_parts(first.text).is_none() && header_parts(first.text.trim()).is_some() {
        // A fence of headers only (`Prefer: outlook.timezone="..."`) shows a header, not a message.
        return None;
    }
    let Some(primary) = read_request_line(ctx, first) else {
        ctx.report_help(
            Code::HttpStartLineInvalid,
            first.range(),
            "the first line of this http block is neither a request line nor a status line",
            "start a request with `METHOD /path` (GET, POST, PUT, PATCH, DELETE) or a response with `HTTP/1.1 200 OK`",
        );
        return None;
    };
    // Request lines that follow, even across blank lines, are alternative paths of one operation.
    let mut request_lines = vec![primary];
    let mut next = first_idx + 1;
    let mut scan = next;
    while let Some(line) = lines.get(scan) {
        if line.is_blank() {
            scan += 1;
            continue;
        }
        if parse_request_line_parts(line.text).is_none() {
            break;
        }
        if let Some(rl) = read_request_line(ctx, *line) {
            request_lines.push(rl);
        }
        scan += 1;
        next = scan;
    }
    let (headers, body) = read_headers_and_body(ctx, &lines, next, false);
    Some(HttpMessage::Request(HttpRequest {
        lines: request_lines,
        headers,
        body,
    }))
}

/// Split `METHOD target [HTTP/x.y]`; targets may hold spaces (`{id | userPrincipalName}`).
fn parse_request_line_parts(line: &str) -> Option<(&str, &str, Option<&str>)> {
    let t = line.trim();
    let (method, rest) = match t.find(char::is_whitespace) {
        Some(i) => (t.get(..i)?, t.get(i..)?.trim()),
        None => (t, ""),
    };
    if !METHODS.contains(&method) {
        return None;
    }
    if let Some(i) = rest.rfind(char::is_whitespace) {
        let tail = rest.get(i..)?.trim();
        if tail.len() > 5 && tail.get(..5).is_some_and(|p| p.eq_ignore_ascii_case("HTTP/")) {
            return Some((method, rest.get(..i)?.trim_end(), Some(tail)));
        }
    }
    Some((method, rest, None))
}

fn read_request_line(ctx: &mut Ctx<'_>, line: Line<'_>) -> Option<RequestLine> {
    let (method, target, version) = parse_request_line_parts(line.text)?;
    let target = split_target(target);
    if target.path.is_empty() || target.path == "/" {
        let help = if target.raw.is_empty() {
            "add the resource path after the method, e.g. `PATCH /deviceManagement/...`".to_owned()
        } else {
            format!(
                "`{}` names no resource; add its path, e.g. `{method} {}/deviceManagement/...`",
                target.raw,
                target.raw.trim_end_matches('/')
            )
        };
        ctx.report_help(
            Code::HttpRequestNoPath,
            line.range(),
            format!("request line `{}` has no resource path", line.text.trim()),
            help,
        );
    }
    Some(RequestLine {
        method: method.to_owned(),
        target,
        version: version.map(str::to_owned),
        span: ctx.span(line.range()),
    })
}

/// Split a request target into origin, API version, path and query.
pub fn split_target(raw: &str) -> RequestTarget {
    let raw = raw.trim();
    let (origin, rest) = match raw.find("://") {
        Some(i) => {
            let after = raw.get(i + 3..).unwrap_or_default();
            let host_end = after.find(['/', '?']).unwrap_or(after.len());
            let origin_end = i + 3 + host_end;
            (
                Some(raw.get(..origin_end).unwrap_or(raw).to_owned()),
                raw.get(origin_end..).unwrap_or_default(),
            )
        }
        None => (None, raw),
    };
    let (path, query) = match rest.find('?') {
        Some(i) => (
            rest.get(..i).unwrap_or_default(),
            Some(rest.get(i + 1..).unwrap_or_default().to_owned()),
        ),
        None => (rest, None),
    };
    let mut path = path.trim().to_owned();
    if !path.is_empty() && !path.starts_with('/') {
        path.insert(0, '/');
    }
    let mut api_version = None;
    let first_segment = path.get(1..).map(|p| p.split('/').next().unwrap_or_default());
    if let Some(seg) = first_segment {
        let lower = seg.to_ascii_lowercase();
        if lower == "beta" || lower == "v1.0" || lower == "{version}" {
            api_version = Some(seg.to_owned());
            path = path.get(1 + seg.len()..).unwrap_or_default().to_owned();
        }
    }
    RequestTarget {
        raw: raw.to_owned(),
        origin,
        api_version,
        path,
        query,
    }
}

fn read_status_line(ctx: &mut Ctx<'_>, line: Line<'_>) -> Option<StatusLine> {
    let t = line.text.trim();
    let rest = t.get(4..).unwrap_or_default();
    let mut recovered = None;
    let (version, after) = if let Some(r) = rest.strip_prefix('/') {
        let (v, a) = split_word(r);
        (Some(format!("HTTP/{v}")), a)
    } else {
        let r = rest.trim_start();
        let (word, a) = split_word(r);
        if looks_like_version(word) {
            recovered = Some(format!("the version is written `HTTP {word}`"));
            (Some(format!("HTTP/{word}")), a)
        } else {
            recovered = Some("the line has no HTTP version".to_owned());
            (None, r)
        }
    };
    let (code_text, reason) = split_word(after);
    let code = code_text
        .parse::<u16>()
        .ok()
        .filter(|c| (100..=599).contains(c) && code_text.len() == 3);
    let Some(code) = code else {
        ctx.report_help(
            Code::HttpStatusLineMalformed,
            line.range(),
            format!("status line `{t}` has no valid status code"),
            "write the status line as `HTTP/1.1 200 OK`",
        );
        return None;
    };
    let reason = Some(reason.trim().to_owned()).filter(|r| !r.is_empty());
    let version_text = version.clone().unwrap_or_else(|| "HTTP/1.1".to_owned());
    if let Some(why) = recovered {
        let fixed = format!("{version_text} {code}{}", reason.as_ref().map(|r| format!(" {r}")).unwrap_or_default());
        ctx.report_help(
            Code::HttpStatusLineRecovered,
            line.range(),
            format!("malformed status line `{t}`: {why}; read as `{fixed}`"),
            format!("write `{fixed}`"),
        );
    }
    if let (Some(r), Some(expected)) = (&reason, canonical_reason(code)) {
        let norm = |s: &str| s.replace([' ', '-'], "").to_ascii_lowercase();
        if norm(r) != norm(expected) {
            ctx.report_help(
                Code::HttpReasonMismatch,
                line.range(),
                format!("status {code} is `{expected}`, but the line says `{r}`"),
                format!("write `{version_text} {code} {expected}`, or fix the status code"),
            );
        }
    }
    Some(StatusLine {
        version,
        code,
        reason,
        span: ctx.span(line.range()),
    })
}

fn split_word(s: &str) -> (&str, &str) {
    let s = s.trim_start();
    match s.find(char::is_whitespace) {
        Some(i) => (s.get(..i).unwrap_or(s), s.get(i..).unwrap_or_default()),
        None => (s, ""),
    }
}

fn looks_like_version(word: &str) -> bool {
    let mut parts = word.split('.');
    let major = parts.next().unwrap_or_default();
    !major.is_empty()
        && major.bytes().all(|b| b.is_ascii_digit())
        && parts.all(|p| !p.is_empty() && p.bytes().all(|b| b.is_ascii_digit()))
        && word.contains('.')
}

fn canonical_reason(code: u16) -> Option<&'static str> {
    Some(match code {
        200 => "OK",
        201 => "Created",
        202 => "Accepted",
        203 => "Non-Authoritative Information",
        204 => "No Content",
        206 => "Partial Content",
        207 => "Multi-Status",
        301 => "Moved Permanently",
        302 => "Found",
        303 => "See Other",
        304 => "Not Modified",
        307 => "Temporary Redirect",
        400 => "Bad Request",
        401 => "Unauthorized",
        403 => "Forbidden",
        404 => "Not Found",
        405 => "Method Not Allowed",
        409 => "Conflict",
        412 => "Precondition Failed",
        413 => "Payload Too Large",
        415 => "Unsupported Media Type",
        416 => "Range Not Satisfiable",
        422 => "Unprocessable Entity",
        429 => "Too Many Requests",
        500 => "Internal Server Error",
        501 => "Not Implemented",
        502 => "Bad Gateway",
        503 => "Service Unavailable",
        504 => "Gateway Timeout",
        _ => return None,
    })
}

/// `Name: value` with a token name; JSON (`"a": 1`) and prose do not qualify.
fn header_parts(line: &str) -> Option<(&str, &str)> {
    let (name, value) = line.split_once(':')?;
    let name_ok = !name.is_empty()
        && name
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_');
    name_ok.then(|| (name, value.trim()))
}

fn read_headers_and_body(
    ctx: &mut Ctx<'_>,
    lines: &[Line<'_>],
    from: usize,
    response: bool,
) -> (Vec<HttpHeader>, Option<HttpBody>) {
    let mut i = from;
    let mut headers = Vec::new();
    // A blank line right after the start line, followed by header-shaped lines: those are headers.
    if lines.get(i).is_some_and(Line::is_blank) {
        let mut j = i;
        while lines.get(j).is_some_and(Line::is_blank) {
            j += 1;
        }
        if let Some(next) = lines.get(j).filter(|l| header_parts(l.text.trim()).is_some()) {
            let blank = lines.get(i).map_or(next.range(), Line::range);
            ctx.report_help(
                Code::HttpBlankBeforeHeaders,
                blank.start..next.start + next.text.len(),
                "blank line between the start line and the headers; the lines after it were read as headers",
                "remove the blank line: in HTTP it ends the headers",
            );
            i = j;
        }
    }
    let mut body_start = None;
    while let Some(line) = lines.get(i) {
        if line.is_blank() {
            i += 1;
            break;
        }
        match header_parts(line.text.trim()) {
            Some((name, value)) => {
                if let Some(canon) = CANONICAL_HEADERS
                    .iter()
                    .find(|c| c.eq_ignore_ascii_case(name) && **c != name)
                {
                    let at = line.start + (line.text.len() - line.text.trim_start().len());
                    ctx.report_help(
                        Code::HttpHeaderCasing,
                        at..at + name.len(),
                        format!("header `{name}` is usually spelled `{canon}`"),
                        format!("write `{canon}`"),
                    );
                }
                headers.push(HttpHeader {
                    name: name.to_owned(),
                    value: value.to_owned(),
                    span: ctx.span(line.range()),
                });
                i += 1;
            }
            None => {
                let t = line.text.trim_start();
                if t.starts_with('{') || t.starts_with('[') || !headers.is_empty() {
                    ctx.report_help(
                        Code::HttpNoBlankBeforeBody,
                        line.range(),
                        "no blank line between the headers and the body; the body was read from here",
                        "add a blank line before the body",
                    );
                } else {
                    ctx.report_help(
                        Code::HttpHeaderMalformed,
                        line.range(),
                        format!("`{}` is not a `Name: value` header; read as the start of the body", line.text.trim()),
                        "add a blank line before the body, or write the header as `Name: value`",
                    );
                }
                body_start = Some(i);
                break;
            }
        }
    }
    let start = body_start.unwrap_or(i);
    let body = read_body(ctx, lines, start, response, &headers);
    (headers, body)
}

fn read_body(
    ctx: &mut Ctx<'_>,
    lines: &[Line<'_>],
    from: usize,
    response: bool,
    headers: &[HttpHeader],
) -> Option<HttpBody> {
    let first = (from..lines.len()).find(|&k| lines.get(k).is_some_and(|l| !l.is_blank()))?;
    let mut last = first;
    for k in first + 1..lines.len() {
        let Some(line) = lines.get(k) else { break };
        // Only a line at the margin can start a message (most of a body's lines are indented).
        let starts_message = line.text.starts_with(|c: char| !c.is_whitespace())
            && if response {
                is_status_line(line.text)
            } else {
                line.text.starts_with(|c: char| c.is_ascii_uppercase())
                    && parse_request_line_parts(line.text)
                        .is_some_and(|(_, t, _)| t.starts_with('/') || t.contains("://"))
            };
        if starts_message {
            ctx.report_help(
                Code::HttpMultipleMessages,
                line.range(),
                "a second HTTP message starts inside this block; only the first was read",
                "put each request and each response in its own fence",
            );
            break;
        }
        if !line.is_blank() {
            last = k;
        }
    }
    let start = lines.get(first)?.start;
    let last_line = lines.get(last)?;
    let end = last_line.start + last_line.text.len();
    let range = start..end;
    let text = ctx.text(range.clone()).to_owned();
    check_content_length(ctx, headers, &text);
    let content_type = headers
        .iter()
        .find(|h| h.is("Content-Type"))
        .map(|h| h.value.to_ascii_lowercase());
    let trimmed = text.trim_start();
    let is_json = match &content_type {
        Some(ct) => ct.contains("json") && (trimmed.starts_with('{') || trimmed.starts_with('[') || trimmed.starts_with('"')),
        None => trimmed.starts_with('{') || trimmed.starts_with('['),
    };
    let json = if is_json {
        ctx.json(range.clone(), if response { "response body" } else { "request body" })
    } else {
        None
    };
    Some(HttpBody {
        text,
        span: ctx.span(range),
        json,
    })
}

fn check_content_length(ctx: &mut Ctx<'_>, headers: &[HttpHeader], body: &str) {
    let Some(h) = headers.iter().find(|h| h.is("Content-Length")) else {
        return;
    };
    let range = h.span.range();
    let Ok(declared) = h.value.trim().parse::<usize>() else {
        ctx.report_help(
            Code::HttpContentLengthInvalid,
            range,
            format!("Content-Length `{}` is not a number", h.value),
            "remove the header, or give the body's length in bytes",
        );
        return;
    };
    let lf = body.len();
    // Each line break not already a CRLF would add a byte.
    let bytes = body.as_bytes();
    let bare_lf = memchr::memchr_iter(b'\n', bytes).filter(|&i| i == 0 || bytes.get(i - 1) != Some(&b'\r')).count();
    let crlf = lf + bare_lf;
    if declared == crlf && declared != lf {
        ctx.report_help(
            Code::HttpContentLengthCrlf,
            range,
            format!("Content-Length is {declared}, but the body shown is {lf} bytes; it matches only with CRLF line breaks"),
            format!("write `Content-Length: {lf}`, or remove the header: examples need none"),
        );
    } else if declared != lf {
        ctx.report_help(
            Code::HttpContentLengthMismatch,
            range,
            format!("Content-Length is {declared}, but the body shown is {lf} bytes ({crlf} with CRLF line breaks)"),
            format!("write `Content-Length: {lf}`, or remove the header: examples need none"),
        );
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn target_splits_origin_version_path_query() {
        let t = split_target("https://graph.microsoft.com/beta/users/{id | userPrincipalName}?$select=id");
        assert_eq!(t.origin.as_deref(), Some("https://graph.microsoft.com"));
        assert_eq!(t.api_version.as_deref(), Some("beta"));
        assert_eq!(t.path, "/users/{id | userPrincipalName}");
        assert_eq!(t.query.as_deref(), Some("$select=id"));
    }

    #[test]
    fn target_without_path_is_empty() {
        assert_eq!(split_target("https://graph.microsoft.com/beta").path, "");
        assert_eq!(split_target("").path, "");
        assert_eq!(split_target("me/events").path, "/me/events");
    }

    #[test]
    fn request_lines_keep_spaces_and_version() {
        assert_eq!(
            parse_request_line_parts("GET /users/{id | upn}/photo HTTP/1.1"),
            Some(("GET", "/users/{id | upn}/photo", Some("HTTP/1.1")))
        );
        assert_eq!(parse_request_line_parts("Content-Type: x"), None);
        assert_eq!(parse_request_line_parts("PATCH"), Some(("PATCH", "", None)));
    }

    #[test]
    fn header_shape() {
        assert_eq!(header_parts("Content-type: application/json"), Some(("Content-type", "application/json")));
        assert_eq!(header_parts("\"a\": 1"), None);
        assert_eq!(header_parts("{"), None);
    }
}
