//! The one diagnostic type of graphdoc, and the catalogue of its stable codes.

use serde::Serialize;
use std::fmt;

use crate::span::Span;

/// How bad a defect is: errors make `graphdoc lint` exit 1.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Severity {
    /// The element cannot be used as documented.
    Error,
    /// The element was used, but only after a guess that is stated in the message.
    Warning,
    /// Worth knowing; nothing was guessed.
    Note,
}

impl Severity {
    /// The lowercase name used in output.
    pub fn as_str(self) -> &'static str {
        match self {
            Severity::Error => "error",
            Severity::Warning => "warning",
            Severity::Note => "note",
        }
    }
}

impl fmt::Display for Severity {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

macro_rules! codes {
    ($( $(#[doc = $doc:literal])* $variant:ident = $name:literal, $sev:ident; )*) => {
        /// A stable diagnostic code; its string form never changes once released.
        #[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
        pub enum Code {
            $( $(#[doc = $doc])* $variant, )*
        }

        impl Code {
            /// Every code, in catalogue order.
            pub const ALL: &'static [Code] = &[ $( Code::$variant, )* ];

            /// The stable kebab-case name.
            pub fn as_str(self) -> &'static str {
                match self { $( Code::$variant => $name, )* }
            }

            /// The severity this code is reported with.
            pub fn severity(self) -> Severity {
                match self { $( Code::$variant => Severity::$sev, )* }
            }
        }
    };
}

codes! {
    /// The file is not valid UTF-8.
    InputNotUtf8 = "input-not-utf8", Error;
    /// The file holds NUL bytes: not a text page.
    InputBinary = "input-binary", Error;
    /// The file is larger than graphdoc reads.
    InputTooLarge = "input-too-large", Error;
    /// The file is empty or only whitespace.
    InputEmpty = "input-empty", Warning;
    /// The file starts with a UTF-8 byte order mark.
    InputBom = "input-bom", Note;
    /// The file uses CRLF line endings.
    InputCrlf = "input-crlf", Note;
    /// No YAML front matter at the top of the page.
    FrontMatterMissing = "front-matter-missing", Warning;
    /// The front matter is not valid YAML, or not a mapping.
    FrontMatterInvalid = "front-matter-invalid", Error;
    /// An unfilled template placeholder such as `$(metadata.owner)`.
    TemplatePlaceholder = "template-placeholder", Error;
    /// A `**TODO ...**` placeholder left in the page.
    TodoPlaceholder = "todo-placeholder", Warning;
    /// The page has no H1 title.
    TitleMissing = "title-missing", Warning;
    /// An annotation comment whose JSON does not parse.
    AnnotationInvalidJson = "annotation-invalid-json", Error;
    /// An annotation comment whose JSON parses only after removing trailing commas.
    AnnotationRecoveredJson = "annotation-recovered-json", Warning;
    /// An annotation key graphdoc does not know; it is kept.
    AnnotationUnknownKey = "annotation-unknown-key", Note;
    /// A known annotation key with a value of the wrong JSON type.
    AnnotationValueType = "annotation-value-type", Warning;
    /// An HTML comment that is never closed: it hides the rest of the page.
    HtmlCommentUnclosed = "html-comment-unclosed", Error;
    /// A block annotation that is not followed by a code fence.
    AnnotationOrphan = "annotation-orphan", Warning;
    /// A fence holds a line that opens another fence: its closing fence is probably missing.
    FenceSwallowedOpener = "fence-swallowed-opener", Warning;
    /// An `http` fence with nothing in it.
    HttpEmptyBlock = "http-empty-block", Error;
    /// The first line of an `http` fence is neither a request line nor a status line.
    HttpStartLineInvalid = "http-start-line-invalid", Error;
    /// A request line whose URL has no resource path.
    HttpRequestNoPath = "http-request-no-path", Error;
    /// A status line that could not be read.
    HttpStatusLineMalformed = "http-status-line-malformed", Error;
    /// A status line read after fixing its shape (`HTTP 1.1 200 OK`).
    HttpStatusLineRecovered = "http-status-line-recovered", Warning;
    /// A reason phrase that does not belong to the status code (`201 OK`).
    HttpReasonMismatch = "http-reason-mismatch", Warning;
    /// A blank line between the start line and the headers; the headers were recovered.
    HttpBlankBeforeHeaders = "http-blank-before-headers", Warning;
    /// No blank line between the headers and the body.
    HttpNoBlankBeforeBody = "http-no-blank-before-body", Warning;
    /// A header line without `name: value` shape.
    HttpHeaderMalformed = "http-header-malformed", Warning;
    /// A well-known header spelled with non-canonical case (`Content-type`).
    HttpHeaderCasing = "http-header-casing", Note;
    /// `Content-Length` disagrees with the body shown.
    HttpContentLengthMismatch = "http-content-length-mismatch", Warning;
    /// `Content-Length` matches the body only if its line breaks are counted as CRLF.
    HttpContentLengthCrlf = "http-content-length-crlf", Warning;
    /// `Content-Length` is not a number.
    HttpContentLengthInvalid = "http-content-length-invalid", Warning;
    /// A second request or status line inside one fence.
    HttpMultipleMessages = "http-multiple-messages", Warning;
    /// A JSON body or representation that does not parse.
    JsonInvalid = "json-invalid", Error;
    /// A JSON body that parses only after removing trailing commas.
    JsonRecovered = "json-recovered", Warning;
    /// JSON nested deeper than graphdoc follows.
    JsonTooDeep = "json-too-deep", Error;
    /// A table row with a different number of cells than its header.
    TableRowCellCount = "table-row-cell-count", Warning;
    /// A table wider or longer than graphdoc keeps; the rest is dropped.
    TableTooLarge = "table-too-large", Error;
    /// A type cell that names no type graphdoc can read.
    TableTypeUnparsed = "table-type-unparsed", Warning;
    /// A primitive type written in a non-canonical spelling (`string`, `int`).
    TableTypeNoncanonical = "table-type-noncanonical", Note;
    /// A permissions table row with no permission given.
    PermissionsEmpty = "permissions-empty", Warning;
    /// A header description glued to its `Required`/`Optional` flag (`Bearer {token}.Required`).
    HeaderValueGlued = "header-value-glued", Warning;
    /// A tab group (`# [HTTP](#tab/http)`) that is not closed by `---`.
    TabGroupUnclosed = "tab-group-unclosed", Warning;

    // Stage 2: the model of the whole corpus (graphdoc-model).

    /// An operation page whose HTTP request cannot be placed at a path; nothing is generated for it.
    OperationUnplaced = "operation-unplaced", Error;
    /// Two pages declare the same method and path.
    OperationDuplicate = "operation-duplicate", Note;
    /// An example request whose URL matches none of the declared paths.
    ExamplePathMismatch = "example-path-mismatch", Warning;
    /// An example request whose method is not the declared one.
    ExampleMethodMismatch = "example-method-mismatch", Warning;
    /// An example body property that its type does not have.
    ExampleUnknownProperty = "example-unknown-property", Warning;
    /// An example value that does not fit its declared type.
    ExampleValueType = "example-value-type", Warning;
    /// An example string without the format of its type (date-time, date, GUID, base64, ...).
    ExampleValueFormat = "example-value-format", Warning;
    /// An example `@odata.type` naming a type the model does not know.
    ExampleUnknownType = "example-unknown-type", Warning;
    /// A required property missing from an example that is not marked truncated.
    ExampleMissingRequired = "example-missing-required", Warning;
    /// An example body whose shape (object, array) is not the declared one.
    ExampleBodyShape = "example-body-shape", Warning;
    /// A single entity documented wrapped in `{"value": ...}`.
    ExampleValueEnvelope = "example-value-envelope", Warning;
    /// An example request with no response after it.
    ExampleNoResponse = "example-no-response", Warning;
    /// The status the prose promises differs from the example's status line.
    ResponseStatusMismatch = "response-status-mismatch", Warning;
    /// A type referenced but defined nowhere; it becomes an open type.
    TypeUndefined = "type-undefined", Warning;
    /// One property declared with two different types.
    TypePropertyConflict = "type-property-conflict", Warning;
    /// A type given two different base types.
    TypeBaseConflict = "type-base-conflict", Warning;
    /// A resource or enum page whose type name cannot be found.
    TypeNameUnknown = "type-name-unknown", Warning;
    /// A function parameter written as a value in a declared path; it is read as a placeholder.
    PathFunctionValue = "path-function-value", Warning;
    /// A declared path that starts with `/~/`, which is no URL segment; read without it.
    PathTildeRoot = "path-tilde-root", Warning;
    /// A create, update or replace whose page documents no request body while its examples send
    /// one; the body is read as the entity the path holds.
    RequestBodyInferred = "request-body-inferred", Warning;
    /// A response promised as a single entity while every example answers a `value` array; read as
    /// a collection.
    ResponseCollectionInferred = "response-collection-inferred", Warning;
    /// A `POST` or `PUT` to a `$ref` path whose examples send `{"@odata.id": ...}` while the page
    /// documents another body (or none); read as a reference.
    RequestBodyReference = "request-body-reference", Warning;
    /// An example request sent to another service's host (a notification to the app, an upload
    /// to a URL Graph handed out): not an example of the operation, not replayed.
    ExampleNotGraph = "example-not-graph", Note;
}

impl fmt::Display for Code {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl Serialize for Code {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(self.as_str())
    }
}

/// One defect found in a page: what, where, and how to fix it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Diagnostic {
    /// Stable code.
    pub code: Code,
    /// Error, warning or note.
    pub severity: Severity,
    /// The file as it was named to graphdoc.
    pub file: String,
    /// Where in the file.
    pub span: Span,
    /// What is wrong, in one sentence.
    pub message: String,
    /// How to fix it, when there is something to say.
    pub help: Option<String>,
}

impl Diagnostic {
    /// A diagnostic with the code's severity and no help.
    pub fn new(code: Code, file: &str, span: Span, message: impl Into<String>) -> Self {
        Diagnostic {
            code,
            severity: code.severity(),
            file: file.to_owned(),
            span,
            message: message.into(),
            help: None,
        }
    }

    /// Attach a help line.
    pub fn with_help(mut self, help: impl Into<String>) -> Self {
        self.help = Some(help.into());
        self
    }

    /// The flat JSON record of `lint --format json`: one object per diagnostic.
    pub fn to_json(&self) -> serde_json::Value {
        serde_json::json!({
            "code": self.code.as_str(),
            "severity": self.severity.as_str(),
            "file": self.file,
            "line": self.span.line,
            "column": self.span.column,
            "end_line": self.span.end_line,
            "end_column": self.span.end_column,
            "message": self.message,
            "help": self.help,
        })
    }

    /// Sort key that makes output independent of discovery order.
    pub fn sort_key(&self) -> (&str, usize, usize, Code, &str) {
        (
            &self.file,
            self.span.start,
            self.span.end,
            self.code,
            &self.message,
        )
    }
}
