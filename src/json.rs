//! The JSON writer: pretty-printed, with every unsafe character escaped. The
//! shape of each view is [`crate::render::json`].
//!
//! serde_json escapes C0 controls; this writer also escapes the characters
//! [`crate::sanitize::is_unsafe`] flags (DEL, C1 controls, bidi overrides) and the
//! invisible ones [`crate::sanitize::is_dropped`] flags (zero-width, BOM, tags), so that
//! `otpic … --format json` is safe to print on a terminal and still carries the
//! entry's exact text.

use serde::Serialize;
use serde_json::ser::{Formatter, PrettyFormatter};
use std::io::{self, Write};

/// Writes `value` as pretty JSON followed by a newline.
pub fn write<W: Write + ?Sized, T: Serialize + ?Sized>(out: &mut W, value: &T) -> io::Result<()> {
    let mut writer = &mut *out;
    let mut ser =
        serde_json::Serializer::with_formatter(&mut writer, SafeFormatter(PrettyFormatter::new()));
    value.serialize(&mut ser).map_err(io::Error::from)?;
    writeln!(out)
}

struct SafeFormatter<'a>(PrettyFormatter<'a>);

impl Formatter for SafeFormatter<'_> {
    fn write_string_fragment<W: ?Sized + Write>(
        &mut self,
        writer: &mut W,
        fragment: &str,
    ) -> io::Result<()> {
        let mut start = 0;
        for (i, c) in fragment.char_indices() {
            if crate::sanitize::is_unsafe(c) || crate::sanitize::is_dropped(c) {
                writer.write_all(&fragment.as_bytes()[start..i])?;
                // Characters beyond the BMP (tag characters) as a surrogate pair.
                let mut units = [0u16; 2];
                for unit in c.encode_utf16(&mut units) {
                    write!(writer, "\\u{:04x}", unit)?;
                }
                start = i + c.len_utf8();
            }
        }
        writer.write_all(&fragment.as_bytes()[start..])
    }
    fn begin_array<W: ?Sized + Write>(&mut self, w: &mut W) -> io::Result<()> {
        self.0.begin_array(w)
    }
    fn end_array<W: ?Sized + Write>(&mut self, w: &mut W) -> io::Result<()> {
        self.0.end_array(w)
    }
    fn begin_array_value<W: ?Sized + Write>(&mut self, w: &mut W, first: bool) -> io::Result<()> {
        self.0.begin_array_value(w, first)
    }
    fn end_array_value<W: ?Sized + Write>(&mut self, w: &mut W) -> io::Result<()> {
        self.0.end_array_value(w)
    }
    fn begin_object<W: ?Sized + Write>(&mut self, w: &mut W) -> io::Result<()> {
        self.0.begin_object(w)
    }
    fn end_object<W: ?Sized + Write>(&mut self, w: &mut W) -> io::Result<()> {
        self.0.end_object(w)
    }
    fn begin_object_key<W: ?Sized + Write>(&mut self, w: &mut W, first: bool) -> io::Result<()> {
        self.0.begin_object_key(w, first)
    }
    fn begin_object_value<W: ?Sized + Write>(&mut self, w: &mut W) -> io::Result<()> {
        self.0.begin_object_value(w)
    }
    fn end_object_value<W: ?Sized + Write>(&mut self, w: &mut W) -> io::Result<()> {
        self.0.end_object_value(w)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn json(value: &serde_json::Value) -> String {
        let mut out = Vec::new();
        let written = write(&mut out, value);
        assert!(written.is_ok());
        String::from_utf8_lossy(&out).into_owned()
    }

    #[test]
    fn invisible_characters_are_escaped_and_round_trip() {
        let original = "a\u{200b}b\u{feff}c\u{e0041}d";
        let text = json(&serde_json::json!({ "t": original }));
        assert!(text.contains(r"a\u200bb\ufeffc\udb40\udc41d"), "{text}");
        let back: serde_json::Value =
            serde_json::from_str(&text).unwrap_or_else(|e| panic!("{e}: {text}"));
        assert_eq!(back["t"], original);
    }

    #[test]
    fn controls_and_bidi_overrides_are_escaped() {
        let text = json(&serde_json::json!({"t": "a\u{1b}[31m\u{202e}b\u{85}"}));
        assert_eq!(text, "{\n  \"t\": \"a\\u001b[31m\\u202eb\\u0085\"\n}\n");
    }

    #[test]
    fn the_layout_is_serde_json_pretty_layout() {
        // Every Formatter method is delegated: nested arrays, objects and empty
        // ones lay out exactly as serde_json's pretty printer does.
        let value = serde_json::json!({"a": [1, [], {}], "b": {"c": [true], "d": null}, "e": []});
        let pretty = serde_json::to_string_pretty(&value).unwrap_or_default();
        assert_eq!(json(&value), format!("{pretty}\n"));
        assert_eq!(json(&serde_json::json!([1, 2])), "[\n  1,\n  2\n]\n");
    }

    #[test]
    fn escaped_output_parses_back_to_the_same_text() {
        let value = serde_json::json!({"t": "x\u{202e}y\u{7f}", "n": [1, 2]});
        let back: serde_json::Value = serde_json::from_str(&json(&value)).unwrap_or_default();
        assert_eq!(back, value);
    }
}
