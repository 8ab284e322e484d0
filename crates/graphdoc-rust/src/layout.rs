//! Generated code as text: the tokens `quote!` builds, laid out by a few fixed rules in one pass,
//! with no syntax tree in between.
//!
//! Parsing the tokens into `syn` trees for `prettyplease` was two thirds of code generation's time
//! (docs/performance.md). The rules need no syntax tree because they only have to be right for
//! the code graphdoc generates: every `{}` block is broken over lines; every other line is one
//! statement, field, arm or item, kept whole when it fits in [`WIDTH`] columns (a line that opens
//! a `{}` block up to its ` {`); a `(...)`, `[...]` or `<...>` that does not fit puts one element
//! per line (what follows an `=` is measured on its own), and a statement with two method calls or
//! more that does not fit puts one call per line. Angle brackets are always generics (graphdoc
//! generates no `<` comparison), so no space is put inside them. A line's breaks depend on that
//! line alone, so text can be written directly in the same style: the model structs and enums,
//! the request builders and the example tests are (`models`, `requests`, `fixtures`), and only
//! the forms they do not write go through [`print_line`].
//!
//! What is printed lexes to the same tokens, apart from trailing commas added where a list is
//! broken: in this crate's tests `tokens::render` checks it on every file it prints, among them
//! every file generated from `docs-input/` and from the adversarial pages.

use proc_macro2::{Delimiter, Spacing, TokenStream, TokenTree};

/// The column a line is kept within when it can be broken (rustfmt's default).
pub const WIDTH: usize = 100;

/// Columns a segment must leave free to be printed as it is, without measuring anything in it
/// again (a group's tail and a `<...>`'s check add at most that).
const SPARE: usize = 2;

/// Whether a line of `len` columns at `indent` is printed as it is: text written directly may
/// skip the layout for such a line.
pub fn fits_as_written(indent: usize, len: usize) -> bool {
    indent + len + SPARE <= WIDTH
}

/// Spaces per level of `{}`.
const INDENT: usize = 4;

/// Operators of more than one character that graphdoc generates, longest first. `<<` and `>>` are
/// left out: in generics they are two brackets.
const GLUED: &[&str] = &["..=", "::", "=>", "->", "==", "!=", "&&", "||", "..", "+=", "-="];

/// Keywords after which a path, a `(` or an operator starts a new expression (`impl ::x`,
/// `return &y`); `self`, `Self`, `crate`, `super`, `true` and `false` are values, not among them.
fn is_keyword(word: &str) -> bool {
    matches!(
        word,
        "as" | "async" | "await" | "break" | "const" | "continue" | "dyn" | "else" | "enum" | "extern" | "fn" | "for"
            | "if" | "impl" | "in" | "let" | "loop" | "match" | "mod" | "move" | "mut" | "pub" | "ref" | "return"
            | "static" | "struct" | "trait" | "type" | "unsafe" | "use" | "where" | "while"
    )
}

/// A token, with operators glued and a lifetime one word.
#[derive(Debug)]
enum Atom {
    /// An identifier, keyword or lifetime.
    Word(String),
    /// A literal, as written.
    Literal(String),
    /// An operator or punctuation.
    Op(&'static str),
    /// A delimited group (`None` groups are flattened into their tokens).
    Group(Delimiter, Vec<Atom>),
    /// `#[doc = "..."]` (`#![doc]` when `inner`): printed as a `///` (`//!`) comment.
    Doc { inner: bool, literal: String },
}

/// Print a file's tokens.
pub fn print_file(tokens: TokenStream) -> String {
    let atoms = atoms(tokens);
    let mut writer = Writer::new(false);
    writer.block(&atoms, 0);
    writer.out
}

/// Print `tokens` as one line of a block at `indent` (more where it breaks), as a file prints
/// them there: for generated text that writes only its lines that fit as it is (`text`).
pub fn print_line(tokens: TokenStream, indent: usize) -> String {
    let atoms = atoms(tokens);
    let mut writer = Writer::new(false);
    writer.pad(indent);
    writer.segment(&atoms);
    writer.newline();
    writer.out
}

/// `line` at `indent` where it fits as written, else the same line's `tokens` laid out there
/// ([`print_line`]): the tokens are built only for a line that does not fit.
pub fn push_line(out: &mut String, indent: usize, line: &str, tokens: impl FnOnce() -> TokenStream) {
    if fits_as_written(indent, line.len()) {
        out.extend(std::iter::repeat_n(' ', indent));
        out.push_str(line);
        out.push('\n');
    } else {
        out.push_str(&print_line(tokens(), indent));
    }
}

/// The atoms of a token stream.
fn atoms(tokens: TokenStream) -> Vec<Atom> {
    let mut out = Vec::new();
    push_atoms(tokens, &mut out);
    out
}

/// The atoms of `tokens`, which are taken apart rather than copied: a group's tokens are read
/// once the group is dropped, so `proc_macro2` hands them over instead of cloning each one.
fn push_atoms(tokens: TokenStream, out: &mut Vec<Atom>) {
    let mut trees = Lookahead { trees: tokens.into_iter(), ahead: std::collections::VecDeque::new() };
    while let Some(tree) = trees.next() {
        match tree {
            TokenTree::Ident(ident) => out.push(Atom::Word(ident.to_string())),
            TokenTree::Literal(literal) => out.push(Atom::Literal(literal.to_string())),
            TokenTree::Group(group) => {
                let delimiter = group.delimiter();
                let stream = group.stream();
                drop(group);
                if delimiter == Delimiter::None {
                    push_atoms(stream, out);
                } else {
                    out.push(Atom::Group(delimiter, atoms(stream)));
                }
            }
            TokenTree::Punct(punct) => {
                let c = punct.as_char();
                if c == '\'' {
                    if let Some(TokenTree::Ident(name)) = trees.peek(0) {
                        out.push(Atom::Word(format!("'{name}")));
                        trees.next();
                        continue;
                    }
                }
                if c == '#' {
                    if let Some(attribute) = attribute(&mut trees) {
                        out.extend(attribute);
                        continue;
                    }
                }
                // Glue the longest known operator the joint punctuation starts (every prefix of
                // a glued operator is one itself, or a single character).
                let mut op = single(c);
                let mut joint = punct.spacing() == Spacing::Joint;
                while joint {
                    let Some(TokenTree::Punct(following)) = trees.peek(0) else { break };
                    let n = following.as_char();
                    let Some(glued) = GLUED.iter().find(|g| g.len() == op.len() + 1 && g.starts_with(op) && g.ends_with(n)) else { break };
                    op = glued;
                    joint = following.spacing() == Spacing::Joint;
                    trees.next();
                }
                out.push(Atom::Op(op));
            }
        }
    }
}

/// Token trees with the next two visible: a lifetime, a glued operator or an attribute is read
/// from the trees after its first (collecting each stream's trees first made taking tokens apart
/// cost a sixth more).
struct Lookahead {
    trees: proc_macro2::token_stream::IntoIter,
    ahead: std::collections::VecDeque<TokenTree>,
}

impl Lookahead {
    fn next(&mut self) -> Option<TokenTree> {
        self.ahead.pop_front().or_else(|| self.trees.next())
    }

    /// The next two trees, as far as there are.
    fn peek_two(&mut self) -> [Option<&TokenTree>; 2] {
        self.peek(1);
        [self.ahead.front(), self.ahead.get(1)]
    }

    /// The tree `n` after the next one taken (`0`: the next).
    fn peek(&mut self, n: usize) -> Option<&TokenTree> {
        while self.ahead.len() <= n {
            let tree = self.trees.next()?;
            self.ahead.push_back(tree);
        }
        self.ahead.get(n)
    }
}

/// A punctuation character as text, without allocating for the ones Rust has.
fn single(c: char) -> &'static str {
    match c {
        '=' => "=",
        '<' => "<",
        '>' => ">",
        '!' => "!",
        '~' => "~",
        '+' => "+",
        '-' => "-",
        '*' => "*",
        '/' => "/",
        '%' => "%",
        '^' => "^",
        '&' => "&",
        '|' => "|",
        '@' => "@",
        '.' => ".",
        ',' => ",",
        ';' => ";",
        ':' => ":",
        '#' => "#",
        '$' => "$",
        '?' => "?",
        _ => "'",
    }
}

/// The rest of an attribute after its `#`: `[...]` or `![...]`, taken from `trees`. A doc
/// attribute is one atom (printed as a comment); any other is `#`, `!` and its group. The group is
/// dropped before its tokens are read, so they are handed over, not copied.
fn attribute(trees: &mut Lookahead) -> Option<Vec<Atom>> {
    let bracket = |tree: Option<&TokenTree>| matches!(tree, Some(TokenTree::Group(g)) if g.delimiter() == Delimiter::Bracket);
    let inner = match trees.peek_two() {
        [Some(TokenTree::Punct(bang)), group] if bang.as_char() == '!' && bracket(group) => true,
        [group, _] if bracket(group) => false,
        _ => return None,
    };
    if inner {
        trees.next();
    }
    let Some(TokenTree::Group(group)) = trees.next() else { return None };
    let stream = group.stream();
    drop(group);
    let mut body = atoms(stream);
    if let [Atom::Word(doc), Atom::Op("="), Atom::Literal(_)] = body.as_slice() {
        if doc == "doc" {
            if let Some(Atom::Literal(literal)) = body.pop() {
                return Some(vec![Atom::Doc { inner, literal }]);
            }
        }
    }
    let mut out = vec![Atom::Op("#")];
    if inner {
        out.push(Atom::Op("!"));
    }
    out.push(Atom::Group(Delimiter::Bracket, body));
    Some(out)
}

/// The text of a string literal as `proc_macro2` writes one; `None` for any other literal.
fn string_value(literal: &str) -> Option<String> {
    // `/// text` in a `quote!` is `#[doc = r" text"]`: raw, so taken as it is.
    if let Some(raw) = literal.strip_prefix('r') {
        let hashes = raw.len() - raw.trim_start_matches('#').len();
        let fence = "#".repeat(hashes);
        let body = raw.strip_prefix(fence.as_str())?.strip_prefix('"')?;
        return body.strip_suffix(fence.as_str())?.strip_suffix('"').map(str::to_owned);
    }
    let body = literal.strip_prefix('"')?.strip_suffix('"')?;
    let mut out = String::with_capacity(body.len());
    let mut chars = body.chars();
    while let Some(c) = chars.next() {
        if c != '\\' {
            out.push(c);
            continue;
        }
        match chars.next()? {
            'n' => out.push('\n'),
            'r' => out.push('\r'),
            't' => out.push('\t'),
            '0' => out.push('\0'),
            '\\' => out.push('\\'),
            '"' => out.push('"'),
            '\'' => out.push('\''),
            'u' => {
                let rest = chars.as_str().strip_prefix('{')?;
                let end = rest.find('}')?;
                let code = u32::from_str_radix(rest.get(..end)?, 16).ok()?;
                out.push(char::from_u32(code)?);
                chars = rest.get(end + 1..)?.chars();
            }
            _ => return None,
        }
    }
    Some(out)
}

/// What the last atom printed on a line asks of the next one.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
enum Prev {
    /// Nothing yet on this line or in this group.
    Start,
    /// A value or type: a name, a literal, a closed group, `>` or `?`.
    Value,
    /// A keyword that starts something (`impl`, `return`).
    Keyword,
    /// A separator or binary operator: a space follows.
    SpaceAfter,
    /// An opening or prefix operator: nothing may follow it with a space.
    Tight,
}

impl Prev {
    /// Whether a word, literal or binary operator after this one is spaced from it.
    fn spaced(self) -> bool {
        matches!(self, Prev::Value | Prev::Keyword | Prev::SpaceAfter)
    }

    /// Whether an operator here stands before its operand (`&x`, `-1`, `|x|` opening a closure).
    fn operand_next(self) -> bool {
        !matches!(self, Prev::Value)
    }
}

/// Where a list broken over lines puts commas.
#[derive(Clone, Copy)]
enum Commas {
    /// As the tokens have them.
    AsWritten,
    /// After every element when there are several, or when the tokens end with one.
    IfSeveral,
    /// After every element.
    Always,
}

/// The text of a file being laid out, or (`flat`) the width of atoms being measured.
struct Writer {
    out: String,
    /// Column of the end of `out`.
    col: usize,
    /// Indentation of the line being written.
    line_indent: usize,
    prev: Prev,
    /// The last atom was a `!` naming a macro: its group takes no added trailing comma.
    after_bang: bool,
    /// Inside a closure's `|...|`.
    closure_params: bool,
    /// Open `<`s of this line, each `true` when it opened an `impl`'s generics (after whose `>` a
    /// path starts afresh: `impl<'de> ::serde::Deserialize<'de>`).
    angles: Vec<bool>,
    /// Columns the rest of the line takes after the group about to be printed.
    tail: usize,
    /// The last word written: `impl` (its `<...>` ends a path) or `pub` (`pub(crate)`).
    last_word: LastWord,
    /// Measuring: the width of atoms on one line is counted, nothing is written.
    flat: bool,
    /// Measuring: a `{}` block or a doc comment was met, which cannot be on one line.
    unfit: bool,
}

/// The last word written, where it changes what follows.
#[derive(Clone, Copy, PartialEq, Eq)]
enum LastWord {
    Impl,
    Pub,
    Other,
}

impl Writer {
    fn new(flat: bool) -> Writer {
        Writer { out: String::new(), col: 0, line_indent: 0, prev: Prev::Start, after_bang: false, closure_params: false, angles: Vec::new(), tail: 0, last_word: LastWord::Other, flat, unfit: false }
    }

    fn write(&mut self, text: &str) {
        // Measuring only counts.
        if !self.flat {
            self.out.push_str(text);
        }
        self.col += text.len();
    }

    fn space(&mut self) {
        self.write(" ");
    }

    fn newline(&mut self) {
        self.out.push('\n');
        self.col = 0;
    }

    fn pad(&mut self, indent: usize) {
        self.line_indent = indent;
        for _ in 0..indent {
            self.out.push(' ');
        }
        self.col = indent;
    }

    /// The inside of a `{}` (or a whole file): one line per segment, at `indent`.
    fn block(&mut self, atoms: &[Atom], indent: usize) {
        let segments = segments(atoms);
        // Fields, variants, arms and entries: the last takes a comma like the others.
        let list = segments.iter().any(|s| ends_with_comma(s));
        let last = segments.len().saturating_sub(1);
        for (n, segment) in segments.iter().enumerate() {
            match segment {
                [Atom::Doc { inner, literal }] => self.doc(*inner, literal, indent),
                _ => {
                    self.pad(indent);
                    self.segment(segment);
                    if list && n == last && !ends_with_comma(segment) {
                        self.write(",");
                    }
                    self.newline();
                }
            }
        }
    }

    fn doc(&mut self, inner: bool, literal: &str, indent: usize) {
        let mark = if inner { "//!" } else { "///" };
        match string_value(literal) {
            Some(text) => {
                for line in text.split('\n') {
                    self.pad(indent);
                    self.write(mark);
                    self.write(line.trim_end());
                    self.newline();
                }
            }
            // Not a plain string: printed as the attribute it is.
            None => {
                self.pad(indent);
                self.write(if inner { "#![doc = " } else { "#[doc = " });
                self.write(literal);
                self.write("]");
                self.newline();
            }
        }
    }

    /// One segment from the current column, its calls one per line when it needs to be broken,
    /// and a `<...>` that does not fit one argument per line.
    fn segment(&mut self, atoms: &[Atom]) {
        self.prev = Prev::Start;
        // With `SPARE` columns free nothing in the segment breaks: no group, tail or chain is
        // measured again.
        let roomy = self.head_fits(atoms, SPARE);
        // One column for what ends the line, as a group's tail counts it: a chain that fills the
        // line to the last column would otherwise stay whole and break inside its last call.
        let calls = if roomy || self.head_fits(atoms, 1) { Vec::new() } else { chain_calls(atoms) };
        let chained = calls.len() >= 2;
        let indent = self.line_indent;
        let mut i = 0;
        while let Some(atom) = atoms.get(i) {
            if chained && calls.contains(&i) {
                self.newline();
                self.pad(indent + INDENT);
                self.prev = Prev::Start;
            }
            if !roomy && !self.flat && matches!(atom, Atom::Group(d, _) if *d != Delimiter::Brace) {
                self.tail = tail(atoms, i + 1, if chained { &calls } else { &[] });
            }
            self.atom(atom);
            i += 1;
            if !roomy && matches!(atom, Atom::Op(op) if *op == "<") {
                if let Some(close) = closing_angle(atoms, i) {
                    let inner = atoms.get(i..close).unwrap_or_default();
                    // One column for what follows (`,`, `;`, ` {`).
                    if !self.flat && !self.fits(inner, 3) {
                        // Generic arguments take a trailing comma; `<T as Trait>` does not.
                        let qualified = inner.iter().any(|a| matches!(a, Atom::Word(w) if w == "as"));
                        self.broken(inner, if qualified { Commas::AsWritten } else { Commas::Always });
                        i = close;
                    }
                }
            }
        }
        self.line_indent = indent;
    }

    /// The elements of a list, one per line a level in, and the closing line's indent; the
    /// opening delimiter is written, the closing one is the caller's.
    fn broken(&mut self, inner: &[Atom], commas: Commas) {
        let indent = self.line_indent;
        let elements = split_commas(inner);
        let trailing = match commas {
            Commas::AsWritten => ends_with_comma(inner),
            // Never `(x)` into the tuple `(x,)`.
            Commas::IfSeveral => elements.len() > 1 || ends_with_comma(inner),
            Commas::Always => true,
        };
        self.newline();
        let last = elements.len().saturating_sub(1);
        for (n, element) in elements.iter().enumerate() {
            self.pad(indent + INDENT);
            self.segment(element);
            if n < last || trailing {
                self.write(",");
            }
            self.newline();
        }
        self.pad(indent);
        self.prev = Prev::Start;
    }

    /// [`Writer::fits`] for a segment, measured up to a `{}` block that ends it (and the ` {`
    /// before it): the block's lines are its own, so a header that fits is not broken for them
    /// (`match x.iter().position(..) {` was broken one call a line).
    fn head_fits(&self, atoms: &[Atom], extra: usize) -> bool {
        match atoms.split_last() {
            Some((Atom::Group(Delimiter::Brace, inner), head)) if !inner.is_empty() => self.fits(head, extra + 2),
            _ => self.fits(atoms, extra),
        }
    }

    /// Whether `atoms` fit on one line from here, with `extra` columns after them.
    fn fits(&self, atoms: &[Atom], extra: usize) -> bool {
        !self.flat && WIDTH.checked_sub(self.col + extra).is_some_and(|room| width(atoms, Prev::Start, room).is_some())
    }

    fn atom(&mut self, atom: &Atom) {
        let after_bang = std::mem::take(&mut self.after_bang);
        match atom {
            Atom::Word(word) => {
                if self.prev.spaced() {
                    self.space();
                }
                self.write(word);
                self.last_word = match word.as_str() {
                    "impl" => LastWord::Impl,
                    "pub" => LastWord::Pub,
                    _ => LastWord::Other,
                };
                // After a lifetime a path starts afresh, as after a keyword (`&'c ::x::Client`).
                let keyword = is_keyword(word) || word.starts_with('\'');
                self.prev = if keyword { Prev::Keyword } else { Prev::Value };
            }
            Atom::Literal(literal) => {
                if self.prev.spaced() {
                    self.space();
                }
                self.write(literal);
                self.prev = Prev::Value;
            }
            Atom::Op(op) => self.op(op),
            Atom::Doc { inner, literal } => {
                // Inside a line (only in code graphdoc does not generate): the attribute as written.
                self.unfit |= self.flat;
                if self.prev.spaced() {
                    self.space();
                }
                self.write(if *inner { "#![doc = " } else { "#[doc = " });
                self.write(literal);
                self.write("]");
                self.prev = Prev::SpaceAfter;
            }
            Atom::Group(Delimiter::Brace, inner) => {
                if self.prev != Prev::Start && self.prev != Prev::Tight {
                    self.space();
                }
                if inner.is_empty() {
                    self.write("{}");
                } else if self.flat {
                    // Never on one line.
                    self.unfit = true;
                } else {
                    let indent = self.line_indent;
                    self.write("{");
                    self.newline();
                    let closure = std::mem::take(&mut self.closure_params);
                    self.block(inner, indent + INDENT);
                    self.closure_params = closure;
                    self.pad(indent);
                    self.write("}");
                }
                self.prev = Prev::Value;
            }
            Atom::Group(delimiter, inner) => {
                // `None` groups were flattened into their tokens (`push_atoms`).
                let (open, close) = if *delimiter == Delimiter::Parenthesis { ("(", ")") } else { ("[", "]") };
                let pub_restriction = matches!(self.prev, Prev::Keyword) && self.last_word == LastWord::Pub;
                if matches!(self.prev, Prev::Keyword | Prev::SpaceAfter) && !pub_restriction {
                    self.space();
                }
                self.list(open, close, inner, after_bang);
                self.prev = Prev::Value;
            }
        }
    }

    /// A `(...)` or `[...]`: on one line when it fits, else one element per line.
    fn list(&mut self, open: &str, close: &str, inner: &[Atom], macro_args: bool) {
        let closure = std::mem::take(&mut self.closure_params);
        let indent = self.line_indent;
        let tail = std::mem::take(&mut self.tail);
        // An empty list has nothing to put on lines of its own (`root(\n).literal(..)` read badly).
        if self.flat || inner.is_empty() || self.fits(inner, open.len() + close.len() + tail) {
            self.write(open);
            self.prev = Prev::Start;
            for atom in inner {
                self.atom(atom);
            }
            self.write(close);
        } else {
            let elements = split_commas(inner);
            let commas = elements.len() > 1 || ends_with_comma(inner);
            match elements.as_slice() {
                // A single `Struct { .. }` or closure with a block: its block carries the lines.
                [only] if !commas && matches!(only.last(), Some(Atom::Group(Delimiter::Brace, _))) => {
                    self.write(open);
                    self.segment(only);
                    self.write(close);
                }
                _ => {
                    self.write(open);
                    // A macro's arguments keep their commas as written.
                    self.broken(inner, if macro_args { Commas::AsWritten } else { Commas::IfSeveral });
                    self.write(close);
                }
            }
        }
        self.line_indent = indent;
        self.closure_params = closure;
    }

    fn op(&mut self, op: &str) {
        let prev = self.prev;
        let (space_before, next) = match op {
            "," | ";" => (false, Prev::SpaceAfter),
            ":" => (false, Prev::SpaceAfter),
            "." => (false, Prev::Tight),
            "::" | ".." | "..=" => (matches!(prev, Prev::Keyword | Prev::SpaceAfter), Prev::Tight),
            "?" => (false, Prev::Value),
            "#" => (prev.spaced(), Prev::Tight),
            "<" => {
                self.angles.push(prev == Prev::Keyword && self.last_word == LastWord::Impl);
                (matches!(prev, Prev::SpaceAfter), Prev::Tight)
            }
            ">" => (false, if self.angles.pop() == Some(true) { Prev::Keyword } else { Prev::Value }),
            "!" if prev == Prev::Value => {
                self.write(op);
                self.prev = Prev::Tight;
                self.after_bang = true;
                return;
            }
            "|" if self.closure_params => {
                self.closure_params = false;
                (false, Prev::SpaceAfter)
            }
            "|" if prev.operand_next() => {
                self.closure_params = true;
                (prev.spaced(), Prev::Tight)
            }
            "||" if prev.operand_next() => (prev.spaced(), Prev::SpaceAfter),
            "&" | "&&" | "*" | "-" | "!" if prev.operand_next() => (prev.spaced(), Prev::Tight),
            _ => (prev != Prev::Start && prev != Prev::Tight, Prev::SpaceAfter),
        };
        if space_before {
            self.space();
        }
        self.write(op);
        self.prev = next;
    }
}

/// The width of `atoms` on one line after `prev`, or `None` when they hold a `{}` block or a doc
/// comment or are wider than `room` (measuring stops there: a line is never longer than it).
fn width(atoms: &[Atom], prev: Prev, room: usize) -> Option<usize> {
    let mut writer = Writer::new(true);
    writer.prev = prev;
    for atom in atoms {
        writer.atom(atom);
        if writer.unfit || writer.col > room {
            return None;
        }
    }
    Some(writer.col)
}

/// The lines of a block: a doc comment or an attribute alone; else up to a `;` or `,` outside
/// generics, or a `{}` block that nothing continues (`else`, `.`, `?`, `;`, `,`).
fn segments(atoms: &[Atom]) -> Vec<&[Atom]> {
    let mut out = Vec::new();
    let mut start = 0;
    let mut i = 0;
    let mut angles = 0usize;
    while let Some(atom) = atoms.get(i) {
        i += 1;
        let end = match atom {
            Atom::Op(op) if *op == "<" => {
                angles += 1;
                false
            }
            Atom::Op(op) if *op == ">" => {
                angles = angles.saturating_sub(1);
                false
            }
            Atom::Op(op) if angles > 0 && *op == "," => false,
            Atom::Doc { .. } => true,
            Atom::Op(op) if *op == "#" && i == start + 1 => {
                // `#[...]` or `#![...]`, on a line of its own.
                if matches!(atoms.get(i), Some(Atom::Op(bang)) if *bang == "!") {
                    i += 1;
                }
                if matches!(atoms.get(i), Some(Atom::Group(Delimiter::Bracket, _))) {
                    i += 1;
                    true
                } else {
                    false
                }
            }
            Atom::Op(op) => *op == ";" || *op == ",",
            Atom::Group(Delimiter::Brace, _) => !matches!(
                atoms.get(i),
                Some(Atom::Word(w)) if w == "else"
            ) && !matches!(atoms.get(i), Some(Atom::Op(op)) if matches!(*op, "." | "?" | ";" | ",")),
            _ => false,
        };
        if end {
            if let Some(segment) = atoms.get(start..i) {
                out.push(segment);
            }
            start = i;
        }
    }
    if let Some(rest) = atoms.get(start..).filter(|r| !r.is_empty()) {
        out.push(rest);
    }
    out
}

/// The elements of a list, split at its commas outside generics; a trailing comma ends none.
fn split_commas(atoms: &[Atom]) -> Vec<&[Atom]> {
    let mut out = Vec::new();
    let mut start = 0;
    let mut angles = 0usize;
    for (i, atom) in atoms.iter().enumerate() {
        match atom {
            Atom::Op(op) if *op == "<" => angles += 1,
            Atom::Op(op) if *op == ">" => angles = angles.saturating_sub(1),
            Atom::Op(op) if *op == "," && angles == 0 => {
                if let Some(element) = atoms.get(start..i) {
                    out.push(element);
                }
                start = i + 1;
            }
            _ => {}
        }
    }
    if let Some(rest) = atoms.get(start..).filter(|r| !r.is_empty()) {
        out.push(rest);
    }
    out
}

/// The columns a line takes after a group, up to a `{}` block, the next call of a broken chain
/// (`breaks`), an assignment's `=` or the end, and one for what ends it (`;`, `,`, ` {`, ` =`).
/// What follows an `=` breaks on its own: a long value does not break the type before it
/// (`const WIRE: &[\n    &str\n] = &[` before). An arm's `=>` is not such an end: its pattern
/// breaks rather than a line of pattern and call going past the width.
fn tail(atoms: &[Atom], from: usize, breaks: &[usize]) -> usize {
    let rest = atoms.get(from..).unwrap_or_default();
    let end = rest
        .iter()
        .enumerate()
        .position(|(n, a)| {
            matches!(a, Atom::Group(Delimiter::Brace, _) | Atom::Op("=")) || breaks.contains(&(from + n))
        })
        .unwrap_or(rest.len());
    // ` {` or ` =` ends the line's measure.
    let two = matches!(rest.get(end), Some(Atom::Group(Delimiter::Brace, _) | Atom::Op("=")));
    // Past a line's width the tail's exact length no longer matters: nothing fits before it.
    let text = width(rest.get(..end).unwrap_or_default(), Prev::Value, WIDTH).unwrap_or(WIDTH + 1);
    text + if two { 2 } else { 1 }
}

/// The index of the `>` that closes the `<` before `from`.
fn closing_angle(atoms: &[Atom], from: usize) -> Option<usize> {
    let mut depth = 1usize;
    for (i, atom) in atoms.iter().enumerate().skip(from) {
        match atom {
            Atom::Op(op) if *op == "<" => depth += 1,
            Atom::Op(op) if *op == ">" => {
                depth -= 1;
                if depth == 0 {
                    return Some(i);
                }
            }
            _ => {}
        }
    }
    None
}

fn ends_with_comma(atoms: &[Atom]) -> bool {
    matches!(atoms.last(), Some(Atom::Op(op)) if *op == ",")
}

/// Where the method calls of a statement start: each `.` before a name and its `(...)`, outside
/// any group (the first call of a chain on a path, `a::b().c()`, stays on the first line).
fn chain_calls(atoms: &[Atom]) -> Vec<usize> {
    let mut out = Vec::new();
    for (i, window) in atoms.windows(3).enumerate() {
        if let [Atom::Op(dot), Atom::Word(_), Atom::Group(Delimiter::Parenthesis, _)] = window {
            if *dot == "." {
                out.push(i);
            }
        }
    }
    out
}

#[cfg(test)]
pub(crate) mod tests {
    use super::*;
    use quote::quote;

    /// The literal of a `[doc = "..."]` group.
    fn doc_literal(tree: Option<&TokenTree>) -> Option<String> {
        let Some(TokenTree::Group(group)) = tree.filter(|t| matches!(t, TokenTree::Group(g) if g.delimiter() == Delimiter::Bracket)) else {
            return None;
        };
        match group.stream().into_iter().collect::<Vec<_>>().as_slice() {
            [TokenTree::Ident(doc), TokenTree::Punct(eq), TokenTree::Literal(literal)] if doc == "doc" && eq.as_char() == '=' => {
                Some(literal.to_string())
            }
            _ => None,
        }
    }

    /// The tokens of `tokens` one by one, spacing ignored: a comma before a closing delimiter or
    /// `>` is dropped, a string literal is its value (trailing spaces of each line trimmed, as doc
    /// comments are printed), and consecutive doc attributes are one, their lines joined.
    fn token_list(tokens: TokenStream, out: &mut Vec<String>) {
        let trees: Vec<TokenTree> = tokens.into_iter().collect();
        let mut i = 0;
        while let Some(tree) = trees.get(i) {
            i += 1;
            if matches!(tree, TokenTree::Punct(p) if p.as_char() == '#') {
                let inner = matches!(trees.get(i), Some(TokenTree::Punct(p)) if p.as_char() == '!');
                let at = if inner { i + 1 } else { i };
                if let Some(literal) = doc_literal(trees.get(at)) {
                    let text = string_value(&literal).unwrap_or(literal);
                    match out.last_mut().and_then(|last| last.strip_prefix("doc:").map(str::to_owned).map(|l| (last, l))) {
                        Some((last, lines)) => *last = format!("doc:{lines}\n{text}"),
                        None => out.push(format!("doc:{text}")),
                    }
                    i = at + 1;
                    continue;
                }
            }
            match tree {
                TokenTree::Group(g) => {
                    let (open, close) = match g.delimiter() {
                        Delimiter::Parenthesis => ("(", ")"),
                        Delimiter::Bracket => ("[", "]"),
                        Delimiter::Brace => ("{", "}"),
                        Delimiter::None => ("", ""),
                    };
                    out.push(open.to_owned());
                    token_list(g.stream(), out);
                    if out.last().is_some_and(|t| t == ",") {
                        out.pop();
                    }
                    out.push(close.to_owned());
                }
                TokenTree::Literal(l) => {
                    let text = l.to_string();
                    out.push(string_value(&text).map_or(text, |v| format!("{:?}", v.lines().map(str::trim_end).collect::<Vec<_>>())));
                }
                other => {
                    let text = other.to_string();
                    // A comma added before a generic list's `>` where it was broken.
                    if text == ">" && out.last().is_some_and(|t| t == ",") {
                        out.pop();
                    }
                    out.push(text);
                }
            }
        }
        for entry in out.iter_mut().filter(|e| e.starts_with("doc:")) {
            *entry = entry.lines().map(str::trim_end).collect::<Vec<_>>().join("\n");
        }
    }

    /// Printed text lexes to the tokens printed, trailing commas of broken lists aside.
    pub(crate) fn same_tokens(tokens: &TokenStream, printed: &str) {
        let reparsed: TokenStream = printed.parse().unwrap_or_else(|e| panic!("{e:?}\n{printed}"));
        let (mut a, mut b) = (Vec::new(), Vec::new());
        token_list(reparsed, &mut a);
        token_list(tokens.clone(), &mut b);
        assert_eq!(a, b, "\n{printed}");
    }

    /// Text written without `layout` is what it prints: lexed and printed, it comes back the same.
    /// Blind to a list broken one column early (the comma it gains keeps it broken): text that
    /// breaks lists itself is compared with the print of its tokens instead (`requests` tests).
    pub(crate) fn prints_itself(written: &str) {
        let tokens: TokenStream = written.parse().unwrap_or_else(|e| panic!("{e:?}\n{written}"));
        assert_eq!(print_file(tokens), written, "text written directly is not what `layout` prints");
    }

    #[test]
    fn items_are_laid_out_by_the_rules_and_lex_to_the_same_tokens() {
        let tokens = quote! {
            #![doc = " The file."]
            #[doc = " A struct."]
            #[cfg(feature = "x")]
            pub struct A<'a> {
                #[doc = " A field."]
                pub value: ::std::option::Option<::std::vec::Vec<&'a str>>,
                pub(crate) other: [u8; 4],
            }
            impl<'de> ::serde::Deserialize<'de> for A<'de> {
                fn deserialize<D: ::serde::Deserializer<'de>>(d: D) -> ::std::result::Result<Self, D::Error> {
                    let value = <::serde_json::Value as ::serde::Deserialize>::deserialize(d)?;
                    let result = match key.as_deref() {
                        ::std::option::Option::None => variant(value, Self::A),
                        #[cfg(feature = "y")]
                        ::std::option::Option::Some("b") => variant(value, Self::B),
                        _ => ::std::result::Result::Ok(Self::Unknown(value)),
                    };
                    if !a && !b { return &x; } else { *w == s }
                    let issues: ::std::vec::Vec<&str> = fixture["issues"].as_array().into_iter().flatten().filter_map(|v| v.as_str()).collect();
                    result.map_err(<D::Error as ::serde::de::Error>::custom)
                }
            }
            ::runtime::object!(A { 0 => value: "value", #[cfg(feature = "z")] 1 => other: "other" });
            fn f() -> Client { Client { inner: ::runtime::Client::new(base_url)? } }
        };
        let printed = print_file(tokens.clone());
        same_tokens(&tokens, &printed);
        let expected = r#"//! The file.
/// A struct.
#[cfg(feature = "x")]
pub struct A<'a> {
    /// A field.
    pub value: ::std::option::Option<::std::vec::Vec<&'a str>>,
    pub(crate) other: [u8; 4],
}
impl<'de> ::serde::Deserialize<'de> for A<'de> {
    fn deserialize<D: ::serde::Deserializer<'de>>(d: D) -> ::std::result::Result<Self, D::Error> {
        let value = <::serde_json::Value as ::serde::Deserialize>::deserialize(d)?;
        let result = match key.as_deref() {
            ::std::option::Option::None => variant(value, Self::A),
            #[cfg(feature = "y")]
            ::std::option::Option::Some("b") => variant(value, Self::B),
            _ => ::std::result::Result::Ok(Self::Unknown(value)),
        };
        if !a && !b {
            return &x;
        } else {
            *w == s
        }
        let issues: ::std::vec::Vec<&str> = fixture["issues"]
            .as_array()
            .into_iter()
            .flatten()
            .filter_map(|v| v.as_str())
            .collect();
        result.map_err(<D::Error as ::serde::de::Error>::custom)
    }
}
::runtime::object!(A {
    0 => value: "value",
    #[cfg(feature = "z")]
    1 => other: "other",
});
fn f() -> Client {
    Client {
        inner: ::runtime::Client::new(base_url)?
    }
}
"#;
        assert_eq!(printed, expected);
    }

    #[test]
    fn a_list_too_long_for_a_line_puts_one_element_on_each() {
        let long = "x".repeat(60);
        let tokens = quote! {
            fn g() {
                call(#long, #long, 1usize);
                assert!(#long, #long);
                let t = (#long);
                let v = vec![#long, #long,];
            }
        };
        let printed = print_file(tokens.clone());
        same_tokens(&tokens, &printed);
        let l = format!("{long:?}");
        let expected = format!(
            "fn g() {{\n    call(\n        {l},\n        {l},\n        1usize,\n    );\n    assert!(\n        {l},\n        {l}\n    );\n    let t = ({l});\n    let v = vec![\n        {l},\n        {l},\n    ];\n}}\n"
        );
        assert_eq!(printed, expected);
    }

    #[test]
    fn an_empty_list_stays_on_its_line_when_the_rest_does_not_fit() {
        let long = "x".repeat(100);
        let tokens = quote! { fn g() { let p = ::runtime::UrlPath::root().literal(#long); } };
        let printed = print_file(tokens.clone());
        same_tokens(&tokens, &printed);
        assert!(printed.contains("    let p = ::runtime::UrlPath::root().literal(\n        \""), "{printed}");
    }

    #[test]
    fn a_chain_that_fills_the_line_to_its_last_column_puts_one_call_on_each_line() {
        // 8 columns of indent and 92 of chain: 100, with the `)` of `Ok(` on the next line.
        let tokens = quote! {
            fn f() -> u8 {
                Ok(client.device_management().virtual_endpoint().provisioning_policies().by_id("{id}").delete())
            }
        };
        let printed = print_file(tokens.clone());
        same_tokens(&tokens, &printed);
        assert!(printed.contains("        client\n            .device_management()\n"), "{printed}");
        assert!(printed.contains("            .by_id(\"{id}\")\n            .delete()\n    )\n"), "{printed}");
    }

    #[test]
    fn a_header_that_fits_stays_whole_however_long_its_block() {
        let tokens = quote! {
            fn f(s: &str) -> u8 {
                match WIRE.iter().position(|w| *w == s) {
                    ::std::option::Option::Some(0) => Self::AccessPackageAssignmentFilterTarget,
                    _ => Self::Unknown(::std::borrow::ToOwned::to_owned(s)),
                }
            }
        };
        let printed = print_file(tokens.clone());
        same_tokens(&tokens, &printed);
        assert!(printed.contains("    match WIRE.iter().position(|w| *w == s) {\n        ::std::option::Option::Some(0) => Self::"), "{printed}");
    }

    #[test]
    fn a_long_value_breaks_after_the_assignment_not_in_the_type_before_it() {
        let wires = ["user", "group", "everyone", "everyoneExceptGuests", "externalGroup", "unknownFutureValue"];
        let tokens = quote! { fn f() { const WIRE: &[&str] = &[ #( #wires ),* ]; } };
        let printed = print_file(tokens.clone());
        same_tokens(&tokens, &printed);
        assert!(printed.contains("    const WIRE: &[&str] = &[\n        \"user\",\n"), "{printed}");
        assert!(printed.contains("        \"unknownFutureValue\",\n    ];\n"), "{printed}");
    }

    #[test]
    fn doc_text_keeps_its_lines_and_odd_literals_stay_attributes() {
        let tokens = quote! {
            #[doc = " Two\nlines \"quoted\" \u{e9}."]
            #[doc = r#" raw "quoted""#]
            #[doc = b"bytes"]
            struct A;
        };
        let printed = print_file(tokens);
        assert_eq!(printed, "/// Two\n///lines \"quoted\" \u{e9}.\n/// raw \"quoted\"\n#[doc = b\"bytes\"]\nstruct A;\n");
        assert_eq!(string_value(r#""a\u{1}7\\""#).as_deref(), Some("a\u{1}7\\"));
        assert_eq!(string_value("'c'"), None);
    }
}
