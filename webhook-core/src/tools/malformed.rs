//! Tool-calls messages that do not decode. The calls that do not fit
//! [`ToolCall`] are set aside with an `error` entry each, so the others
//! still run. A message that fails as a whole gets an `error` entry for
//! every call that has a string `id`.
//!
//! Everything here runs only after a decode failed, and reads the message
//! as text (`RawValue`), never as a `serde_json::Value` tree, so the calls
//! and the raw JSON fields that do decode keep their text as received.

use serde::de::DeserializeOwned;
use serde_json::value::RawValue;

use crate::delivery::surrogates::replace_lone_surrogates;
use crate::delivery::{DecodeError, Delivery, Entries, last_value};
use crate::events::{ToolCall, ToolCalls};
use crate::hooks::HookError;
use crate::log_text::without_received_values;
use crate::reply::{ToolCallResult, ToolCallsReply};

use super::calls_only::CallsOnly;

/// The calls of a tool-calls message that do not fit [`ToolCall`]: their
/// position in `toolCallList` and their `error` entry, if they can have one.
#[doc(hidden)]
#[derive(Debug, Default)]
pub struct InvalidCalls(Vec<(usize, Option<ToolCallResult>)>);

/// Decodes a tool-calls message, setting aside the calls that do not fit
/// [`ToolCall`] so the others still run.
///
/// With `whole` false, only `toolCallList` and the call id are decoded (see
/// [`CallsOnly`]), and the returned message has its other fields empty.
/// Generated code passes `false` when no tool takes a context that reads
/// the message and no `#[on(server.toolCalls)]` handler exists.
///
/// When the message decodes whole, this costs one decode. Otherwise each
/// call of `toolCallList` is decoded from its own text. A call that fails
/// is left out of the message, which is then decoded again from its text
/// with the valid calls only. The failed call gets an `error` entry when
/// its `id` is a string, because a result without the id cannot reach Vapi.
///
/// # Errors
///
/// Returns the first decode error when the body is malformed, or when the
/// message still does not decode without the invalid calls (a field outside
/// `toolCallList` does not fit).
#[doc(hidden)]
pub fn decode_tool_calls(
    delivery: &Delivery<'_>,
    whole: bool,
) -> Result<(ToolCalls, InvalidCalls), HookError> {
    let (message, invalid) = if whole {
        decode_setting_aside::<ToolCalls>(delivery, |message| message)?
    } else {
        decode_setting_aside::<CallsOnly>(delivery, CallsOnly::into_message)?
    };
    delivery.remember_call_id(message.call_id().map(str::to_owned));
    Ok((message, invalid))
}

/// Decodes the message as `T`, then as `T` without the calls that do not
/// fit [`ToolCall`] when that fails, and converts it with `into_message`.
fn decode_setting_aside<T: DeserializeOwned>(
    delivery: &Delivery<'_>,
    into_message: fn(T) -> ToolCalls,
) -> Result<(ToolCalls, InvalidCalls), HookError> {
    let error = match delivery.decode_as::<T>() {
        Ok(message) => return Ok((into_message(message), InvalidCalls::default())),
        Err(error @ DecodeError::Malformed(_)) => return Err(error.into()),
        Err(error) => error,
    };

    let Ok(message) = delivery.raw_message() else {
        return Err(error.into());
    };
    // The raw text still has any lone surrogate that the whole-message
    // decode replaced, so it is replaced here too, or the rebuilt message
    // would fail on it and take every call down with it.
    let repaired = replace_lone_surrogates(message.get());
    let message = repaired.as_deref().unwrap_or(message.get());
    let Ok(Entries(entries)) = serde_json::from_str::<Entries<'_>>(message) else {
        return Err(error.into());
    };

    // Decoding keeps the last of repeated keys, so only the last
    // `toolCallList` contains the calls that get results. Earlier copies
    // are left out of the rebuilt message.
    let Some(list_position) = entries.iter().rposition(|(key, _)| key == "toolCallList") else {
        return Err(error.into());
    };

    let mut invalid = InvalidCalls::default();
    let mut rebuilt = String::with_capacity(message.len());
    let mut has_list = false;
    rebuilt.push('{');
    let mut first_entry = true;
    for (position, (key, value)) in entries.iter().enumerate() {
        if key == "toolCallList" && position != list_position {
            continue;
        }
        if !first_entry {
            rebuilt.push(',');
        }
        first_entry = false;
        // serde_json writes any `str` into a `String` without error, so the
        // fallback is never taken.
        rebuilt.push_str(&serde_json::to_string(key.as_ref()).unwrap_or_default());
        rebuilt.push(':');

        let calls = match key.as_ref() {
            "toolCallList" => serde_json::from_str::<Vec<&RawValue>>(value.get()).ok(),
            _ => None,
        };
        let Some(calls) = calls else {
            rebuilt.push_str(value.get());
            continue;
        };

        has_list = true;
        rebuilt.push('[');
        let mut first = true;
        for (index, call) in calls.into_iter().enumerate() {
            match check_call(call, index) {
                Ok(()) => {
                    if !first {
                        rebuilt.push(',');
                    }
                    rebuilt.push_str(call.get());
                    first = false;
                }
                Err(text) => {
                    tracing::warn!(target: "webhook::tool", call_id = delivery.call_id().unwrap_or("-"), error = %without_received_values(&text), "tool call does not decode");
                    invalid.0.push((index, failure_for(call, text)));
                }
            }
        }
        rebuilt.push(']');
    }
    rebuilt.push('}');

    // With one list and every call valid, the first error is final. An
    // earlier copy of the list may have caused it, so with several copies
    // the rebuilt message, which has only the last one, is tried.
    let copies = entries
        .iter()
        .filter(|(key, _)| key == "toolCallList")
        .count();
    if !has_list || (invalid.0.is_empty() && copies == 1) {
        return Err(error.into());
    }
    match serde_json::from_str::<T>(&rebuilt) {
        Ok(message) => Ok((into_message(message), invalid)),
        // A field outside the list is wrong too, so the message fails whole.
        Err(_) if copies == 1 => Err(error.into()),
        // The first error may name a dropped copy, so the rebuilt message
        // names its own.
        Err(_) => match delivery.explain_failure::<T>(&rebuilt) {
            Ok(message) => Ok((into_message(message), invalid)),
            Err(error) => Err(error.into()),
        },
    }
}

/// Decodes one call as a [`ToolCall`], or returns the error text that names
/// where in `toolCallList` it does not fit.
fn check_call(call: &RawValue, index: usize) -> Result<(), String> {
    let mut deserializer = serde_json::Deserializer::from_str(call.get());
    match serde_path_to_error::deserialize::<_, ToolCall>(&mut deserializer) {
        Ok(_) => Ok(()),
        Err(error) => {
            let inner = error.path().to_string();
            let path = match inner.as_str() {
                "." => format!("toolCallList[{index}]"),
                inner => format!("toolCallList[{index}].{inner}"),
            };
            Err(format!(
                "invalid tool call at `{path}`: {}",
                crate::delivery::reason(error.inner())
            ))
        }
    }
}

/// Puts the `error` entries of the calls that did not decode back at their
/// positions among the results of the others.
#[doc(hidden)]
pub fn with_invalid_calls(reply: ToolCallsReply, invalid: InvalidCalls) -> ToolCallsReply {
    if invalid.0.is_empty() {
        return reply;
    }

    // The positions count every call as received: the valid ones, which
    // have one result each in order, and the invalid ones, in `invalid`.
    let mut valid = reply.results.into_iter();
    let mut invalid = invalid.0.into_iter().peekable();
    let mut results = Vec::new();
    for position in 0.. {
        match invalid.next_if(|(index, _)| *index == position) {
            Some((_, entry)) => results.extend(entry),
            None => match valid.next() {
                Some(result) => results.push(result),
                None => break,
            },
        }
    }
    // Every position is filled above when `invalid` counts positions in the
    // list that gets results. Entries left over are kept, not dropped.
    results.extend(invalid.filter_map(|(_, entry)| entry));
    ToolCallsReply::new(results)
}

/// Builds the reply to a tool-calls message whose whole reply failed (a
/// message that does not decode, a handler error, a timeout or a panic).
/// Every call whose `id` is a string gets an `error` entry with `text`.
///
/// The calls are read one by one, so a malformed call (say, a numeric
/// `id`, which no reply can carry back) costs only its own entry.
pub(crate) fn fail_every_call(delivery: &Delivery<'_>, text: &str) -> ToolCallsReply {
    // Only the failure path reads the message a second time, for the ids.
    let Ok(message) = delivery.raw_message() else {
        return ToolCallsReply::new(Vec::new());
    };
    // Lone surrogates are replaced as when decoding, so that one in a key
    // or an `id` of a call does not cost the call its entry.
    let repaired = replace_lone_surrogates(message.get());
    let message = repaired.as_deref().unwrap_or(message.get());
    let results = last_tool_call_list(message)
        .unwrap_or_default()
        .iter()
        .filter_map(|call| failure_for(call, text.to_owned()))
        .collect();
    ToolCallsReply::new(results)
}

/// Returns the calls of the last `toolCallList` in `message` as text: the
/// list that decoding keeps when the key repeats.
fn last_tool_call_list(message: &str) -> Option<Vec<&RawValue>> {
    let Entries(entries) = serde_json::from_str(message).ok()?;
    let (_, list) = entries
        .iter()
        .rev()
        .find(|(key, _)| key == "toolCallList")?;
    serde_json::from_str(list.get()).ok()
}

/// Builds the `error` entry of one call from its text, or `None` when it is
/// not an object with a string `id`.
///
/// A repeated key counts with its last value, as when a [`ToolCall`]
/// decodes, so a call that repeats `id` or `function` still gets its entry.
fn failure_for(call: &RawValue, text: String) -> Option<ToolCallResult> {
    let Entries(fields) = serde_json::from_str(call.get()).ok()?;
    let id: String = serde_json::from_str(last_value(&fields, "id")?.get()).ok()?;
    let name = last_value(&fields, "function")
        .and_then(|function| serde_json::from_str::<Entries<'_>>(function.get()).ok())
        .and_then(|Entries(function)| last_value(&function, "name"))
        .and_then(|name| serde_json::from_str::<String>(name.get()).ok());

    Some(ToolCallResult::failure(id, name.unwrap_or_default(), text))
}
