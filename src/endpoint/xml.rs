//! The XML documents of the query protocols (IAM, STS, CloudWatch) and of EC2, written from the
//! api's JSON output with quick-xml's writer (which escapes text; a maintained writer rather than
//! hand-made escaping). The structure is generic, as botocore's XML parser reads it: an object is
//! an element per member, a list an element per item (`<member>` in the query protocol, `<item>`
//! in EC2's), a boolean `true`/`false`; what the JSON alone cannot say comes from the model:
//! timestamps (epoch seconds in JSON) are ISO 8601 here, IAM's policy documents are URL-encoded
//! JSON text (botocore decodes members of its `policyDocumentType`), and EC2's element names are
//! its `locationName`s.

use super::{model, Response};
use crate::api::{render, AwsError};
use percent_encoding::{utf8_percent_encode, NON_ALPHANUMERIC};
use quick_xml::events::{BytesEnd, BytesStart, BytesText, Event};
use quick_xml::Writer;
use serde_json::Value;

/// Which dialect's names and list items.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Dialect {
    /// The query protocol: member names as element names, list items `<member>`.
    Query,
    /// EC2's: `locationName`s, list items `<item>`.
    Ec2,
}

impl Dialect {
    /// The element of a list item (and the name an item's members are typed by).
    pub fn item(self) -> &'static str {
        match self {
            Dialect::Query => "member",
            Dialect::Ec2 => "item",
        }
    }

    fn element(self, member: &str) -> String {
        match self {
            Dialect::Query => member.to_string(),
            Dialect::Ec2 => model::ec2_output_name(member),
        }
    }
}

/// An XML document being written.
pub struct Document {
    writer: Writer<Vec<u8>>,
}

impl Document {
    /// A document with its declaration.
    pub fn new() -> Document {
        let mut document = Document { writer: Writer::new(Vec::new()) };
        document.event(Event::Decl(quick_xml::events::BytesDecl::new("1.0", Some("UTF-8"), None)));
        document
    }

    // Writing into a Vec cannot fail: the io::Result is always Ok.
    fn event(&mut self, event: Event<'_>) {
        let _ = self.writer.write_event(event);
    }

    /// Opens element `name`, with the namespace `xmlns` when given.
    pub fn open(&mut self, name: &str, xmlns: Option<&str>) {
        let mut start = BytesStart::new(name);
        if let Some(xmlns) = xmlns {
            start.push_attribute(("xmlns", xmlns));
        }
        self.event(Event::Start(start));
    }

    /// Closes element `name`.
    pub fn close(&mut self, name: &str) {
        self.event(Event::End(BytesEnd::new(name)));
    }

    /// `<name>text</name>`.
    pub fn text(&mut self, name: &str, text: &str) {
        self.open(name, None);
        self.event(Event::Text(BytesText::new(&xml_chars(text))));
        self.close(name);
    }

    /// The members of a JSON object, each as an element (nulls left out).
    pub fn members(&mut self, object: &serde_json::Map<String, Value>, dialect: Dialect) {
        for (member, value) in object {
            if !value.is_null() {
                self.value(&dialect.element(member), member, value, dialect);
            }
        }
    }

    /// `value` as element `name`; `member` is its name in the model (for its type).
    fn value(&mut self, name: &str, member: &str, value: &Value, dialect: Dialect) {
        if member.ends_with("PolicyDocument") {
            let text = match value {
                Value::String(text) => text.clone(),
                other => other.to_string(),
            };
            return self.text(name, &utf8_percent_encode(&text, NON_ALPHANUMERIC).to_string());
        }
        match value {
            Value::Object(object) => {
                self.open(name, None);
                self.members(object, dialect);
                self.close(name);
            }
            Value::Array(items) => {
                self.open(name, None);
                for item in items.iter().filter(|item| !item.is_null()) {
                    self.value(dialect.item(), member, item, dialect);
                }
                self.close(name);
            }
            Value::Number(number) if render::is_timestamp_member(member) => {
                let ms = number.as_f64().and_then(render::timestamp_from_seconds).unwrap_or(0);
                self.text(name, &render::iso8601(ms));
            }
            Value::Number(number) => self.text(name, &number.to_string()),
            Value::Bool(flag) => self.text(name, if *flag { "true" } else { "false" }),
            Value::String(text) => self.text(name, text),
            Value::Null => {}
        }
    }

    /// The document's bytes.
    pub fn finish(self) -> Vec<u8> {
        self.writer.into_inner()
    }
}

impl Default for Document {
    fn default() -> Self {
        Document::new()
    }
}

/// The content type of the XML answers.
pub const TEXT_XML: &str = "text/xml";

/// Where an XML error answer puts its parts: `<Error>` inside the `outer` elements (outermost
/// first, the outermost with the namespace `xmlns`), with `<Type>` when `typed`; the request id
/// element `request_id` after the innermost wrapper, in the outermost.
#[derive(Debug, Clone, Copy)]
pub struct ErrorShape {
    /// The wrappers of `<Error>`, outermost first.
    pub outer: &'static [&'static str],
    /// The outermost element's namespace.
    pub xmlns: Option<&'static str>,
    /// Whether `<Error>` carries `<Type>Sender</Type>` (or `Receiver`).
    pub typed: bool,
    /// The request id element's name.
    pub request_id: &'static str,
}

/// `failure` as an XML error answer with HTTP `status`, its code in the query protocols' terms.
pub fn error(shape: ErrorShape, status: u16, failure: &AwsError, request_id: &str) -> Response {
    let code = model::query_code(failure);
    let mut document = Document::new();
    for (depth, name) in shape.outer.iter().enumerate() {
        document.open(name, if depth == 0 { shape.xmlns } else { None });
    }
    document.open("Error", None);
    if shape.typed {
        document.text("Type", model::fault(status));
    }
    document.text("Code", code);
    document.text("Message", &failure.message);
    document.close("Error");
    for name in shape.outer.iter().skip(1).rev() {
        document.close(name);
    }
    document.text(shape.request_id, request_id);
    if let Some(root) = shape.outer.first() {
        document.close(root);
    }
    Response { status, error_type: Some(code.to_string()), ..Response::ok(TEXT_XML, document.finish()) }
}

/// `text` with the characters XML 1.0 cannot carry (most control characters) replaced by U+FFFD,
/// so that a member set through another protocol never makes a document unreadable.
fn xml_chars(text: &str) -> std::borrow::Cow<'_, str> {
    let allowed = |c: char| !c.is_control() || matches!(c, '\t' | '\n' | '\r') || c > '\u{9f}';
    let allowed = |c: char| allowed(c) && !matches!(c, '\u{fffe}' | '\u{ffff}');
    if text.chars().all(allowed) {
        return text.into();
    }
    text.chars().map(|c| if allowed(c) { c } else { '\u{fffd}' }).collect::<String>().into()
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn written(value: Value, dialect: Dialect) -> String {
        let mut document = Document::new();
        document.open("R", Some("urn:x"));
        document.members(value.as_object().unwrap(), dialect);
        document.close("R");
        String::from_utf8(document.finish()).unwrap()
    }

    #[test]
    fn json_becomes_elements_lists_timestamps_and_escaped_text() {
        let text = written(
            json!({"Role": {"RoleName": "a<b&c", "CreateDate": 1.5, "MaxSessionDuration": 3600,
                "Tags": [{"Key": "k", "Value": "v"}], "AssumeRolePolicyDocument": {"Version": "2012-10-17"}},
                "IsTruncated": false, "Gone": null, "Odd": "x\u{1}y"}),
            Dialect::Query,
        );
        assert!(text.starts_with("<?xml version=\"1.0\" encoding=\"UTF-8\"?><R xmlns=\"urn:x\"><Role>"));
        assert!(text.contains("<RoleName>a&lt;b&amp;c</RoleName>"));
        assert!(text.contains("<CreateDate>1970-01-01T00:00:01.500Z</CreateDate>"));
        assert!(text.contains("<MaxSessionDuration>3600</MaxSessionDuration>"));
        assert!(text.contains("<Tags><member><Key>k</Key><Value>v</Value></member></Tags>"));
        assert!(text.contains(
            "<AssumeRolePolicyDocument>%7B%22Version%22%3A%222012%2D10%2D17%22%7D</AssumeRolePolicyDocument>"
        ));
        assert!(text.contains("<IsTruncated>false</IsTruncated>"));
        assert!(!text.contains("Gone"));
        assert!(text.contains("<Odd>x\u{fffd}y</Odd>"));
    }

    #[test]
    fn ec2_uses_location_names_and_items() {
        let text = written(
            json!({"Reservations": [{"Instances": [{"InstanceId": "i-1", "State": {"Code": 16}}]}]}),
            Dialect::Ec2,
        );
        assert!(text.contains(
            "<reservationSet><item><instancesSet><item><instanceId>i-1</instanceId><instanceState><code>16</code></instanceState></item></instancesSet></item></reservationSet>"
        ));
    }
}
