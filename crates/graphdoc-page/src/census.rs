//! Counts over many pages: what a conformance run records and compares against its baseline.

use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;

use crate::diagnostic::Code;
use crate::http::HttpMessage;
use crate::ParsedPage;

/// What a set of pages held, and what was wrong with it.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Census {
    /// Pages read.
    pub pages: usize,
    /// Code fences.
    pub fences: usize,
    /// Block and page annotations that parsed.
    pub annotations: usize,
    /// HTTP requests read.
    pub http_requests: usize,
    /// Request lines in them (alternatives included).
    pub request_lines: usize,
    /// HTTP responses read.
    pub http_responses: usize,
    /// Tables.
    pub tables: usize,
    /// Table rows whose type cell was read.
    pub typed_rows: usize,
    /// JSON texts (bodies, representations) that parsed, strictly or after recovery.
    pub json_parsed: usize,
    /// JSON texts that did not parse.
    pub json_failed: usize,
    /// Diagnostics by code.
    pub diagnostics: BTreeMap<String, usize>,
}

impl Census {
    /// Add one page.
    pub fn add(&mut self, parsed: &ParsedPage) {
        let page = &parsed.page;
        self.pages += 1;
        self.fences += page.fences.len();
        self.annotations += page.page_annotations.iter().filter(|a| a.valid).count()
            + page
                .fences
                .iter()
                .filter_map(|f| f.annotation.as_ref())
                .filter(|a| a.valid)
                .count();
        for fence in &page.fences {
            match &fence.http {
                Some(HttpMessage::Request(r)) => {
                    self.http_requests += 1;
                    self.request_lines += r.lines.len();
                }
                Some(HttpMessage::Response(_)) => self.http_responses += 1,
                None => {}
            }
            let body_json = fence.http.as_ref().and_then(|m| m.body()).and_then(|b| b.json.as_ref());
            self.json_parsed += usize::from(body_json.is_some()) + usize::from(fence.json.is_some());
        }
        self.tables += page.tables.len();
        self.typed_rows += page
            .tables
            .iter()
            .flat_map(|t| &t.rows)
            .filter(|r| r.type_ref.is_some())
            .count();
        for d in &parsed.diagnostics {
            if matches!(d.code, Code::JsonInvalid | Code::JsonTooDeep) {
                self.json_failed += 1;
            }
            *self.diagnostics.entry(d.code.as_str().to_owned()).or_default() += 1;
        }
    }

    /// Merge another census into this one.
    pub fn merge(&mut self, other: &Census) {
        self.pages += other.pages;
        self.fences += other.fences;
        self.annotations += other.annotations;
        self.http_requests += other.http_requests;
        self.request_lines += other.request_lines;
        self.http_responses += other.http_responses;
        self.tables += other.tables;
        self.typed_rows += other.typed_rows;
        self.json_parsed += other.json_parsed;
        self.json_failed += other.json_failed;
        for (code, n) in &other.diagnostics {
            *self.diagnostics.entry(code.clone()).or_default() += n;
        }
    }
}

/// Every difference between two counts-by-code, as `diagnostic <code>: <now>, baseline <was>`.
pub fn count_changes(now: &BTreeMap<String, usize>, was: &BTreeMap<String, usize>) -> Vec<String> {
    let codes: std::collections::BTreeSet<&String> = now.keys().chain(was.keys()).collect();
    codes
        .into_iter()
        .filter_map(|code| {
            let n = now.get(code).copied().unwrap_or(0);
            let w = was.get(code).copied().unwrap_or(0);
            (n != w).then(|| format!("diagnostic {code}: {n}, baseline {w}"))
        })
        .collect()
}
