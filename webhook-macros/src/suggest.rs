//! "Did you mean" for event names: finds the catalogue name nearest to what
//! the user wrote, forgiving case and separator slips first.

use webhook_catalogue::{EVENTS, EventDef, Namespace};

/// Folds case and the separators `_`, `-` and `.`, so `tool_calls`,
/// `ToolCalls` and `tool-calls` all fold to `toolcalls`.
fn fold(name: &str) -> String {
    name.chars()
        .filter(|c| !matches!(c, '_' | '-' | '.'))
        .flat_map(char::to_lowercase)
        .collect()
}

/// Levenshtein distance between two strings, by characters.
fn distance(a: &str, b: &str) -> usize {
    let b: Vec<char> = b.chars().collect();
    let mut previous: Vec<usize> = (0..=b.len()).collect();
    for (i, ca) in a.chars().enumerate() {
        let mut current = vec![i + 1; b.len() + 1];
        for (j, cb) in b.iter().enumerate() {
            let substitution = previous[j] + usize::from(ca != *cb);
            current[j + 1] = substitution.min(previous[j + 1] + 1).min(current[j] + 1);
        }
        previous = current;
    }
    previous[b.len()]
}

/// Returns the event of `namespace` whose name is nearest to `written`, when
/// one is near enough to be a plausible slip.
pub(crate) fn nearest_event(namespace: Namespace, written: &str) -> Option<&'static EventDef> {
    let folded = fold(written);
    let candidates = EVENTS.iter().filter(|def| def.namespace == namespace);

    let (best, best_distance) = candidates
        .map(|def| {
            let by_name = distance(&folded, &fold(def.method));
            let by_wire = def
                .wire_types
                .iter()
                .map(|wire| distance(&folded, &fold(wire)))
                .min()
                .unwrap_or(usize::MAX);
            (def, by_name.min(by_wire))
        })
        .min_by_key(|(_, d)| *d)?;

    // Allow about one edit in three characters, and at least two.
    let allowed = (folded.chars().count() / 3).max(2);
    (best_distance <= allowed).then_some(best)
}

/// Returns the namespace nearest to `written`, when one is plausible.
pub(crate) fn nearest_namespace(written: &str) -> Option<Namespace> {
    Namespace::ALL
        .into_iter()
        .map(|namespace| {
            (
                namespace,
                distance(&written.to_lowercase(), namespace.as_str()),
            )
        })
        .filter(|(_, d)| *d <= 2)
        .min_by_key(|(_, d)| *d)
        .map(|(namespace, _)| namespace)
}

/// Returns a few names of a namespace for "unknown event" messages; the
/// whole list is too long for one line.
pub(crate) fn examples_of(namespace: Namespace) -> String {
    EVENTS
        .iter()
        .filter(|def| def.namespace == namespace)
        .take(3)
        .map(|def| format!("`{}.{}`", namespace.as_str(), def.method))
        .collect::<Vec<_>>()
        .join(", ")
}

#[cfg(test)]
mod tests {
    use super::*;

    fn nearest(written: &str) -> Option<&'static str> {
        nearest_event(Namespace::Server, written).map(|def| def.method)
    }

    #[test]
    fn slips_find_tool_calls() {
        for written in [
            "toolCall",
            "tool_calls",
            "ToolCalls",
            "tool-calls",
            "toolcalls",
        ] {
            assert_eq!(nearest(written), Some("toolCalls"), "{written}");
        }
    }

    #[test]
    fn plural_slip_finds_report() {
        assert_eq!(nearest("endOfCallReports"), Some("endOfCallReport"));
        assert_eq!(nearest("end-of-call-report"), Some("endOfCallReport"));
    }

    #[test]
    fn far_names_get_no_suggestion() {
        assert_eq!(nearest("somethingElseEntirely"), None);
    }

    #[test]
    fn namespace_slip_finds_server() {
        assert_eq!(nearest_namespace("sever"), Some(Namespace::Server));
        assert_eq!(nearest_namespace("Client"), Some(Namespace::Client));
        assert_eq!(nearest_namespace("database"), None);
    }
}
