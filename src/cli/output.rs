//! `--output json | text | table`, byte for byte as AWS CLI v2 prints them (ported from awscli's
//! `formatter.py`, `text.py` and `table.py`, with stdout not a terminal: 80 columns, no colour).

use super::args::OutputFormat;
use crate::support::order;
use serde_json::Value;

/// The width awscli assumes when stdout is not a terminal.
const TERMINAL_WIDTH: usize = 80;

/// Formats a (queried) response. `operation` titles tables (`DescribeTasks`).
pub fn format_output(value: &Value, format: OutputFormat, operation: &str) -> String {
    match format {
        OutputFormat::Json => format_json(value),
        OutputFormat::Text => format_text(value),
        OutputFormat::Table => format_table(value, operation),
    }
}

/// `json.dumps(indent=4, ensure_ascii=False)` plus a newline; an empty object prints nothing.
pub fn format_json(value: &Value) -> String {
    if value.as_object().is_some_and(|map| map.is_empty()) {
        return String::new();
    }
    let mut out = Vec::new();
    let formatter = serde_json::ser::PrettyFormatter::with_indent(b"    ");
    let mut serializer = serde_json::Serializer::with_formatter(&mut out, formatter);
    serde::Serialize::serialize(value, &mut serializer).expect("serializing a Value cannot fail");
    let mut text = String::from_utf8(out).expect("serde_json writes UTF-8");
    text.push('\n');
    text
}

/// Python's `str()` of a scalar, as the text and table formats print it.
fn python_str(value: &Value) -> String {
    match value {
        Value::Null => "None".into(),
        Value::Bool(true) => "True".into(),
        Value::Bool(false) => "False".into(),
        Value::String(text) => text.clone(),
        Value::Number(number) => {
            if number.is_f64() {
                let float = number.as_f64().unwrap_or_default();
                if float.fract() == 0.0 && float.abs() < 1e16 {
                    format!("{float:.1}")
                } else {
                    format!("{float}")
                }
            } else {
                number.to_string()
            }
        }
        other => other.to_string(),
    }
}

fn is_scalar(value: &Value) -> bool {
    !matches!(value, Value::Array(_) | Value::Object(_))
}

/// awscli `text.format_text`.
pub fn format_text(value: &Value) -> String {
    let mut out = String::new();
    text_item(value, None, None, &mut out);
    out
}

fn text_item(value: &Value, identifier: Option<&str>, scalar_keys: Option<&[String]>, out: &mut String) {
    match value {
        Value::Object(_) => text_dict(value, identifier, scalar_keys, out),
        Value::Array(items) => text_list(items, identifier, out),
        scalar => {
            out.push_str(&python_str(scalar));
            out.push('\n');
        }
    }
}

fn text_list(items: &[Value], identifier: Option<&str>, out: &mut String) {
    if items.is_empty() {
        return;
    }
    if items.iter().any(Value::is_object) {
        let mut keys: Vec<String> = Vec::new();
        for item in items {
            if let Value::Object(map) = item {
                for (key, value) in map {
                    if is_scalar(value) && !keys.contains(key) {
                        keys.push(key.clone());
                    }
                }
            }
        }
        order::sort(&mut keys);
        for item in items {
            text_item(item, identifier, Some(&keys), out);
        }
    } else if items.iter().any(Value::is_array) {
        let scalars: Vec<&Value> = items.iter().filter(|v| is_scalar(v)).collect();
        if !scalars.is_empty() {
            text_scalar_list(&scalars, identifier, out);
        }
        for item in items.iter().filter(|v| !is_scalar(v)) {
            text_item(item, identifier, None, out);
        }
    } else {
        let scalars: Vec<&Value> = items.iter().collect();
        text_scalar_list(&scalars, identifier, out);
    }
}

fn text_scalar_list(items: &[&Value], identifier: Option<&str>, out: &mut String) {
    match identifier {
        Some(identifier) => {
            for item in items {
                out.push_str(&format!("{}\t{}\n", identifier.to_uppercase(), python_str(item)));
            }
        }
        None => {
            let line: Vec<String> = items.iter().map(|v| python_str(v)).collect();
            out.push_str(&line.join("\t"));
            out.push('\n');
        }
    }
}

fn text_dict(value: &Value, identifier: Option<&str>, scalar_keys: Option<&[String]>, out: &mut String) {
    let Value::Object(map) = value else { return };
    let mut scalars: Vec<String> = Vec::new();
    let mut non_scalars: Vec<(&String, &Value)> = Vec::new();
    match scalar_keys {
        None => {
            let mut entries: Vec<(&String, &Value)> = map.iter().collect();
            order::sort_by(&mut entries, |a, b| a.0.cmp(b.0));
            for (key, member) in entries {
                if is_scalar(member) {
                    scalars.push(python_str(member));
                } else {
                    non_scalars.push((key, member));
                }
            }
        }
        Some(keys) => {
            for key in keys {
                scalars.push(map.get(key).map(python_str).unwrap_or_default());
            }
            let mut remaining: Vec<(&String, &Value)> =
                map.iter().filter(|(key, _)| !keys.contains(key)).collect();
            order::sort_by(&mut remaining, |a, b| a.0.cmp(b.0));
            non_scalars = remaining;
        }
    }
    if !scalars.is_empty() {
        if let Some(identifier) = identifier {
            scalars.insert(0, identifier.to_uppercase());
        }
        out.push_str(&scalars.join("\t"));
        out.push('\n');
    }
    for (key, member) in non_scalars {
        text_item(member, Some(key), None, out);
    }
}

/// One section of a table: an optional title, optional column headers, rows, and its nesting.
#[derive(Debug, Default)]
struct Section {
    title: String,
    headers: Vec<String>,
    rows: Vec<Vec<String>>,
    indent_level: usize,
    max_widths: Vec<usize>,
}

/// awscli's `get_text_length`: East Asian wide, full-width and ambiguous characters count 2.
fn text_length(text: &str) -> usize {
    text.chars().map(|c| if is_double_width(c) { 2 } else { 1 }).sum()
}

/// Wide and full-width ranges of Unicode's East Asian Width, plus the ambiguous characters of
/// Latin-1 (`é`, `×`, `°`…). Ambiguous characters beyond Latin-1 (Greek, Cyrillic, box drawing)
/// are counted as 1: a known approximation, harmless for the ASCII names ECS allows.
fn is_double_width(c: char) -> bool {
    let code = c as u32;
    matches!(code,
        0x1100..=0x115F | 0x2E80..=0x303E | 0x3041..=0x33FF | 0x3400..=0x4DBF | 0x4E00..=0x9FFF
        | 0xA000..=0xA4CF | 0xAC00..=0xD7A3 | 0xF900..=0xFAFF | 0xFE30..=0xFE4F | 0xFF00..=0xFF60
        | 0xFFE0..=0xFFE6 | 0x1F300..=0x1F64F | 0x1F900..=0x1F9FF | 0x20000..=0x3FFFD)
        || matches!(code,
            0xA1 | 0xA4 | 0xA7 | 0xA8 | 0xAA | 0xAD | 0xAE | 0xB0..=0xB4 | 0xB6..=0xBA | 0xBC..=0xBF
            | 0xC6 | 0xD0 | 0xD7 | 0xD8 | 0xDE..=0xE1 | 0xE6 | 0xE8..=0xEA | 0xEC | 0xED | 0xF0
            | 0xF2 | 0xF3 | 0xF7..=0xFA | 0xFC | 0xFE)
}

impl Section {
    fn update_max_widths(&mut self, row: &[String]) {
        if self.max_widths.is_empty() {
            self.max_widths = row.iter().map(|el| text_length(el)).collect();
        } else {
            for (i, el) in row.iter().enumerate() {
                match self.max_widths.get_mut(i) {
                    Some(width) => *width = (*width).max(text_length(el)),
                    // awscli raises on rows of differing lengths (lists of lists); we widen the
                    // section instead and pad the short rows, so nothing is lost or ragged.
                    None => self.max_widths.push(text_length(el)),
                }
            }
        }
    }

    fn add_header(&mut self, headers: Vec<String>) {
        self.update_max_widths(&headers);
        self.headers = headers;
    }

    fn add_row(&mut self, row: Vec<String>) {
        self.update_max_widths(&row);
        self.rows.push(row);
    }

    /// awscli `calculate_column_widths`: widths scaled to fill `max_width`, rounding fixed up.
    fn column_widths(&self, padding: usize, max_width: Option<usize>) -> Vec<usize> {
        let unscaled: Vec<usize> = self.max_widths.iter().map(|w| w + padding).collect();
        let Some(max_width) = max_width else { return unscaled };
        if unscaled.is_empty() {
            return unscaled;
        }
        let scale = max_width as f64 / unscaled.iter().sum::<usize>() as f64;
        let mut scaled: Vec<i64> = unscaled.iter().map(|w| python_round(scale * *w as f64)).collect();
        let mut off_by: i64 = scaled.iter().sum::<i64>() - max_width as i64;
        while off_by != 0 {
            let order: Vec<usize> =
                if off_by < 0 { (0..scaled.len()).rev().collect() } else { (0..scaled.len()).collect() };
            for i in order {
                if off_by > 0 {
                    scaled[i] -= 1;
                    off_by -= 1;
                } else {
                    scaled[i] += 1;
                    off_by += 1;
                }
                if off_by == 0 {
                    break;
                }
            }
        }
        scaled.into_iter().map(|w| w.max(0) as usize).collect()
    }

    fn total_width(&self, padding: usize, outer_padding: usize) -> usize {
        let border = 2;
        let total: usize = self.column_widths(0, None).iter().map(|w| w + padding).sum::<usize>()
            + border
            + 2 * outer_padding;
        (text_length(&self.title) + border + 2 * outer_padding).max(total)
    }
}

/// Python 3 `round()`: halves go to the even neighbour.
fn python_round(x: f64) -> i64 {
    let floor = x.floor();
    let diff = x - floor;
    let rounded = if diff > 0.5 || (diff == 0.5 && floor % 2.0 != 0.0) { floor + 1.0 } else { floor };
    rounded as i64
}

struct TableBuilder {
    sections: Vec<Section>,
}

impl TableBuilder {
    fn current(&mut self) -> &mut Section {
        if self.sections.is_empty() {
            self.sections.push(Section::default());
        }
        self.sections.last_mut().expect("a section exists")
    }

    fn new_section(&mut self, title: &str, indent_level: usize) {
        self.sections.push(Section { title: title.to_string(), indent_level, ..Section::default() });
    }

    fn build(&mut self, title: Option<&str>, current: &Value, indent_level: usize) -> bool {
        if !python_truthy(current) {
            return false;
        }
        if let Some(title) = title {
            self.new_section(title, indent_level);
        }
        match current {
            Value::Array(items) => {
                if items[0].is_object() {
                    self.sub_table_from_list(items, indent_level, title.unwrap_or(""));
                } else {
                    for item in items {
                        match item {
                            Value::Array(inner) if inner.iter().all(is_scalar) => {
                                self.current().add_row(inner.iter().map(python_str).collect())
                            }
                            scalar if is_scalar(scalar) => self.current().add_row(vec![python_str(scalar)]),
                            other => {
                                self.build(None, other, 0);
                            }
                        }
                    }
                }
            }
            Value::Object(_) => self.sub_table_from_dict(current, indent_level),
            _ => {}
        }
        true
    }

    fn sub_table_from_dict(&mut self, current: &Value, indent_level: usize) {
        let Value::Object(map) = current else { return };
        let (headers, more) = group_scalar_keys(map);
        if headers.len() == 1 {
            let row = vec![headers[0].clone(), python_str(&map[&headers[0]])];
            self.current().add_row(row);
        } else if !headers.is_empty() {
            let row = headers.iter().map(|k| python_str(&map[k])).collect();
            self.current().add_header(headers);
            self.current().add_row(row);
        }
        for key in more {
            self.build(Some(&key), &map[&key], indent_level + 1);
        }
    }

    fn sub_table_from_list(&mut self, items: &[Value], indent_level: usize, title: &str) {
        let mut headers: Vec<String> = Vec::new();
        let mut more: Vec<String> = Vec::new();
        for item in items {
            if let Value::Object(map) = item {
                let (h, m) = group_scalar_keys(map);
                for key in h {
                    if !headers.contains(&key) {
                        headers.push(key);
                    }
                }
                for key in m {
                    if !more.contains(&key) {
                        more.push(key);
                    }
                }
            }
        }
        order::sort(&mut headers);
        order::sort(&mut more);
        self.current().add_header(headers.clone());
        let mut first = true;
        for item in items {
            if !first && !more.is_empty() {
                self.new_section(title, indent_level);
                self.current().add_header(headers.clone());
            }
            first = false;
            let row = headers.iter().map(|h| item.get(h).map(python_str).unwrap_or_default()).collect();
            self.current().add_row(row);
            for key in &more {
                if let Some(member) = item.get(key) {
                    self.build(Some(key), member, indent_level + 1);
                }
            }
        }
    }
}

fn python_truthy(value: &Value) -> bool {
    match value {
        Value::Null => false,
        Value::Bool(b) => *b,
        Value::Number(n) => n.as_f64() != Some(0.0),
        Value::String(s) => !s.is_empty(),
        Value::Array(a) => !a.is_empty(),
        Value::Object(o) => !o.is_empty(),
    }
}

fn group_scalar_keys(map: &serde_json::Map<String, Value>) -> (Vec<String>, Vec<String>) {
    let mut headers: Vec<String> = map.iter().filter(|(_, v)| is_scalar(v)).map(|(k, _)| k.clone()).collect();
    let mut more: Vec<String> = map.iter().filter(|(_, v)| !is_scalar(v)).map(|(k, _)| k.clone()).collect();
    order::sort(&mut headers);
    order::sort(&mut more);
    (headers, more)
}

/// awscli `TableFormatter` + `MultiTable.render`.
pub fn format_table(value: &Value, operation: &str) -> String {
    let mut builder = TableBuilder { sections: Vec::new() };
    if !builder.build(Some(operation), value, 0) {
        return String::new();
    }
    let mut sections = builder.sections;
    let mut max_width = max_width(&sections);
    if max_width > TERMINAL_WIDTH {
        convert_to_vertical(&mut sections);
        max_width = self::max_width(&sections);
    }
    let mut out = String::new();
    out.push_str(&"-".repeat(max_width));
    out.push('\n');
    for section in &sections {
        render_section(section, max_width, &mut out);
    }
    out
}

fn max_width(sections: &[Section]) -> usize {
    sections.iter().map(|s| s.total_width(4, s.indent_level)).max().unwrap_or(0)
}

/// Sections with one row are turned into `header | value` pairs when the table is too wide.
fn convert_to_vertical(sections: &mut [Section]) {
    for section in sections.iter_mut() {
        if section.rows.len() == 1 && !section.headers.is_empty() {
            let mut vertical = Section {
                title: section.title.clone(),
                indent_level: section.indent_level,
                ..Section::default()
            };
            for (header, element) in section.headers.iter().zip(&section.rows[0]) {
                vertical.add_row(vec![header.clone(), element.clone()]);
            }
            *section = vertical;
        }
    }
}

fn center_text(text: &str, length: usize, left_edge: &str, right_edge: &str) -> String {
    let text_chars = text_length_i(text);
    let length = length as i64;
    let char_start = length / 2 - text_chars / 2 - 1;
    let so_far = text_length_i(left_edge) + char_start + text_chars;
    let right_spaces = (length - text_length_i(right_edge) - so_far).max(0);
    format!(
        "{left_edge}{}{text}{}{right_edge}",
        " ".repeat(char_start.max(0) as usize),
        " ".repeat(right_spaces as usize)
    )
}

fn text_length_i(text: &str) -> i64 {
    text_length(text) as i64
}

fn align_left(text: &str, length: usize, left_edge: &str, right_edge: &str) -> String {
    let text_chars = text_length(text);
    let computed = text_chars + 2 + text_length(left_edge) + text_length(right_edge);
    let padding = if length >= computed { 2 } else { 0 };
    let so_far = text_length(left_edge) + padding + text_chars;
    let fill = length.saturating_sub(so_far + text_length(right_edge));
    format!("{left_edge}{}{text}{}{right_edge}", " ".repeat(padding), " ".repeat(fill))
}

/// Writes one line inside `indent_level` pairs of `|` borders.
fn indented(out: &mut String, indent_level: usize, line: &str) {
    out.push_str(&"|".repeat(indent_level));
    out.push_str(line);
    out.push_str(&"|".repeat(indent_level));
    out.push('\n');
}

fn line_break(widths: &[usize]) -> String {
    let mut line = String::new();
    for (i, width) in widths.iter().enumerate() {
        if i == 0 {
            line.push_str(&format!("+{}+", "-".repeat(width.saturating_sub(2))));
        } else {
            line.push_str(&format!("{}+", "-".repeat(width.saturating_sub(1))));
        }
    }
    line
}

fn render_section(section: &Section, max_width: usize, out: &mut String) {
    let indent = section.indent_level;
    let max_width = max_width.saturating_sub(indent * 2);
    if !section.title.is_empty() {
        indented(out, indent, &center_text(&section.title, max_width, "|", "|"));
        if section.headers.is_empty() && section.rows.is_empty() {
            indented(out, indent, &format!("+{}+", "-".repeat(max_width.saturating_sub(2))));
        }
    }
    let widths = section.column_widths(4, Some(max_width));
    if !section.headers.is_empty() {
        let mut line = String::new();
        for (i, width) in widths.iter().enumerate() {
            let header = section.headers.get(i).map(String::as_str).unwrap_or("");
            line.push_str(&center_text(header, *width, if i == 0 { "|" } else { "" }, "|"));
        }
        indented(out, indent, &line_break(&widths));
        indented(out, indent, &line);
    }
    if !section.rows.is_empty() && !widths.is_empty() {
        indented(out, indent, &line_break(&widths));
        for row in &section.rows {
            let mut line = String::new();
            for (i, width) in widths.iter().enumerate() {
                let element = row.get(i).map(String::as_str).unwrap_or("");
                line.push_str(&align_left(element, *width, if i == 0 { "|" } else { "" }, "|"));
            }
            indented(out, indent, &line);
        }
        indented(out, indent, &line_break(&widths));
    }
}
