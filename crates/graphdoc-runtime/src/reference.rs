//! An OData entity reference, `{"@odata.id": "..."}`: the body a `$ref` path takes to add or set
//! a relationship (`POST /groups/{id}/members/$ref`), whatever entity type the page names.

use serde::{Deserialize, Serialize};

/// A reference to an entity by its URL.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Reference {
    /// The entity's URL (`https://graph.microsoft.com/v1.0/directoryObjects/{id}`).
    #[serde(rename = "@odata.id")]
    pub odata_id: String,
    /// Everything else sent along, kept so a round trip loses nothing.
    #[serde(flatten)]
    pub additional_properties: serde_json::Map<String, serde_json::Value>,
}

impl Reference {
    /// A reference to the entity at `odata_id`.
    pub fn new(odata_id: impl Into<String>) -> Reference {
        Reference { odata_id: odata_id.into(), additional_properties: serde_json::Map::new() }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_reference_is_its_url_under_odata_id() -> Result<(), serde_json::Error> {
        let r = Reference::new("https://graph.microsoft.com/v1.0/directoryObjects/42");
        let json = serde_json::to_string(&r)?;
        assert_eq!(json, r#"{"@odata.id":"https://graph.microsoft.com/v1.0/directoryObjects/42"}"#);
        assert_eq!(serde_json::from_str::<Reference>(&json)?, r);
        Ok(())
    }

    #[test]
    fn other_keys_survive_a_round_trip_and_a_missing_url_is_an_error() -> Result<(), serde_json::Error> {
        let text = r#"{"@odata.id":"https://x/y","@odata.context":"https://x/$metadata"}"#;
        let r: Reference = serde_json::from_str(text)?;
        assert_eq!(r.odata_id, "https://x/y");
        assert_eq!(serde_json::to_string(&r)?, text);
        assert!(serde_json::from_str::<Reference>(r#"{"id":"42"}"#).is_err());
        Ok(())
    }
}
