//! A page of a collection: `{"value": [...], "@odata.nextLink": "..."}`.

use serde::{Deserialize, Serialize};

/// One page of items.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct Collection<T> {
    /// The items.
    #[serde(default = "Vec::new")]
    pub value: Vec<T>,
    /// The URL of the next page.
    #[serde(rename = "@odata.nextLink", default, skip_serializing_if = "Option::is_none")]
    pub next_link: Option<String>,
    /// Everything else the server sent (`@odata.context`, `@odata.count`, ...).
    #[serde(flatten)]
    pub additional_properties: serde_json::Map<String, serde_json::Value>,
}
