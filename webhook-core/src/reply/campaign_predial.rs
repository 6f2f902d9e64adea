//! The reply to `server.campaignPredial`: whether an outbound campaign
//! dials a contact.

use serde::{Deserialize, Serialize};

use super::{EventReply, HttpReply, json_replies};

/// The reply to `server.campaignPredial`: whether the campaign may dial the
/// contact.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct CampaignPredialReply {
    /// `true` to dial, `false` to skip the contact.
    pub eligible: bool,
}

impl CampaignPredialReply {
    /// Lets the campaign dial the contact.
    pub fn dial() -> Self {
        CampaignPredialReply { eligible: true }
    }

    /// Skips the contact.
    pub fn skip() -> Self {
        CampaignPredialReply { eligible: false }
    }
}

json_replies!(CampaignPredialReply);
