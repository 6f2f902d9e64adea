//! The reply to `server.knowledgeBaseRequest`: documents from the user's
//! own retriever for the model to read, or a message spoken in place of a
//! model answer.

use serde::{Deserialize, Serialize};
use serde_json::Value;

use super::lengths::{JsonPath, LengthCheck, LengthErrors, Limit};
use super::{EventReply, HttpReply, json_replies};

/// The reply to `server.knowledgeBaseRequest`: documents for the model to
/// read, or a message to speak instead.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
#[non_exhaustive]
pub struct KnowledgeBaseReply {
    /// Documents relevant to the conversation, most relevant first.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub documents: Vec<KnowledgeBaseDocument>,
    /// A message spoken in place of the model's response (Vapi's `CustomMessage`),
    /// whose `content` Vapi's schema limits to 1000 UTF-16 code units.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub message: Option<Value>,
}

/// One document of a knowledge-base reply (Vapi's
/// `KnowledgeBaseResponseDocument`).
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
#[non_exhaustive]
pub struct KnowledgeBaseDocument {
    /// The document's text.
    pub content: String,
    /// The relevance score, on the retriever's own scale (cosine, BM25, dot
    /// product), because Vapi's schema sets no range. A finite score is sent
    /// as is, and a non-finite one is replaced as
    /// [`KnowledgeBaseDocument::new`] describes.
    #[serde(serialize_with = "serialize_similarity")]
    pub similarity: f64,
    /// The document's id in the user's store.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub uuid: Option<String>,
}

impl KnowledgeBaseReply {
    /// Answers with documents.
    pub fn documents(documents: Vec<KnowledgeBaseDocument>) -> Self {
        KnowledgeBaseReply {
            documents,
            message: None,
        }
    }

    /// Answers with a message that the assistant speaks as is, in place of
    /// a model answer (Vapi's `CustomMessage`, `"type": "custom-message"`).
    /// Vapi's schema allows at most 1000 UTF-16 code units, and
    /// [`check_lengths`](Self::check_lengths) reports longer content.
    pub fn say(content: impl Into<String>) -> Self {
        KnowledgeBaseReply {
            documents: Vec::new(),
            message: Some(serde_json::json!({
                "type": "custom-message",
                "content": content.into(),
            })),
        }
    }

    /// Checks the `content` of `message` against the length limit of Vapi's
    /// `CustomMessage`: at most 1000 UTF-16 code units. Documents have no
    /// limit.
    ///
    /// # Errors
    ///
    /// Returns the error of longer content, with its path in the reply,
    /// `message.content`.
    pub fn check_lengths(&self) -> Result<(), LengthErrors> {
        LengthCheck::run(|check| {
            let root = JsonPath::Root;
            check.message_content(
                &root.key("message"),
                self.message.as_ref(),
                Limit::SPOKEN_CONTENT,
            );
        })
    }
}

impl KnowledgeBaseDocument {
    /// Builds a document with its relevance score, on any scale.
    ///
    /// A finite `similarity` is kept unchanged. Positive infinity becomes
    /// `f64::MAX`, and negative infinity and NaN become `f64::MIN`, because
    /// JSON cannot carry them and serde_json would send `null`. These are
    /// the nearest finite values, so scores keep their order, and a NaN
    /// ranks lowest.
    pub fn new(content: impl Into<String>, similarity: f64) -> Self {
        KnowledgeBaseDocument {
            content: content.into(),
            similarity: finite_score(similarity),
            uuid: None,
        }
    }
}

/// Keeps a finite score, and makes infinities the largest finite value of
/// their sign and NaN the lowest, so the score can be sent as JSON.
fn finite_score(value: f64) -> f64 {
    if value.is_finite() {
        value
    } else if value == f64::INFINITY {
        f64::MAX
    } else {
        f64::MIN
    }
}

fn serialize_similarity<S: serde::Serializer>(
    value: &f64,
    serializer: S,
) -> Result<S::Ok, S::Error> {
    serializer.serialize_f64(finite_score(*value))
}

json_replies!(checked: KnowledgeBaseReply);

#[cfg(test)]
mod tests {
    use super::*;
    use crate::reply::tests::wire;
    use serde_json::json;

    #[test]
    fn knowledge_base_say_is_a_custom_message() {
        assert_eq!(
            wire(&KnowledgeBaseReply::say("Let me get an agent.")),
            json!({"message": {"type": "custom-message", "content": "Let me get an agent."}})
        );
        assert_eq!(
            wire(&KnowledgeBaseReply::documents(vec![
                KnowledgeBaseDocument::new("We open at 9.", 0.9)
            ])),
            json!({"documents": [{"content": "We open at 9.", "similarity": 0.9}]})
        );
    }

    #[test]
    fn similarity_keeps_finite_scores() {
        for score in [0.9, 1.7, 12.25, -3.5, 0.0] {
            let document = KnowledgeBaseDocument::new("text", score);
            assert_eq!(document.similarity, score);
            assert_eq!(wire(&document)["similarity"], json!(score));
        }
    }
}
