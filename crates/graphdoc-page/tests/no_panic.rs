//! Arbitrary input never panics: random bytes, and random mixes of the page constructs.

use graphdoc_page::parse_page;
use proptest::prelude::*;

const FRAGMENTS: &[&str] = &[
    "---\n", "title: \"x\"\n", "# Title\n", "## HTTP request\n", "```http\n", "```\n", "``` json\n",
    "<!-- { \"blockType\": \"request\", \"name\": \"a\" } -->\n", "<!-- {\n", "-->\n", "} -->\n",
    "GET /me/events/{id}\n", "POST https://graph.microsoft.com/beta/users\n", "HTTP/1.1 200 OK\n",
    "HTTP 1.1 201\n", "Content-Type: application/json\n", "Content-Length: 12\n", "\n", "{\n",
    "}\n", "[\n", "]\n", "\"a\": 1,\n", "|Property|Type|Description|\n", "|:---|:---|:---|\n",
    "|id|String|x|\n", "|a|[b](c.md) collection|\n", "# [HTTP](#tab/http)\n", "---\n",
    "[!INCLUDE [x](y.md)]\n", "**TODO: x**\n", "$(metadata.owner)\n", "Namespace: microsoft.graph\n",
    "    indented\n", "> quote\n", "- item\n", "\r\n", "\u{feff}", "é", "|", "`", "\\",
];

proptest! {
    #![proptest_config(ProptestConfig { cases: 512, .. ProptestConfig::default() })]

    #[test]
    fn random_bytes_never_panic(bytes in proptest::collection::vec(any::<u8>(), 0..2048)) {
        let p = parse_page("fuzz.md", &bytes);
        for d in &p.diagnostics {
            prop_assert!(d.span.start <= d.span.end && d.span.end <= bytes.len());
        }
    }

    #[test]
    fn random_text_never_panics(s in "\\PC{0,512}") {
        let _ = parse_page("fuzz.md", s.as_bytes());
    }

    #[test]
    fn random_pages_never_panic_and_spans_fit(parts in proptest::collection::vec(0..FRAGMENTS.len(), 0..80)) {
        let src: String = parts.iter().filter_map(|&i| FRAGMENTS.get(i).copied()).collect();
        let p = parse_page("fuzz.md", src.as_bytes());
        for d in &p.diagnostics {
            prop_assert!(d.span.start <= d.span.end && d.span.end <= src.len(), "{d:?}");
            prop_assert!(d.span.line >= 1 && d.span.column >= 1);
        }
    }
}
