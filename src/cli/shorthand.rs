//! The AWS CLI shorthand syntax (`capacityProvider=x,weight=1`,
//! `awsvpcConfiguration={subnets=[a,b],securityGroups=[c]}`), ported from awscli's
//! `shorthand.py` so that the same inputs parse the same way and fail with the same messages.
//!
//! Parsing yields strings, lists and maps only; the model's types (integers, booleans, single
//! values where a list is expected) are applied afterwards by [`super::args`].

/// A parsed shorthand value, before the model's types are applied.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Node {
    Scalar(String),
    List(Vec<Node>),
    Map(Vec<(String, Node)>),
}

/// A shorthand syntax error, formatted as awscli formats it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ShorthandError(pub String);

/// Parses `key=value,key=value` into a map.
pub fn parse(input: &str) -> Result<Node, ShorthandError> {
    let mut parser = Parser { chars: input.chars().collect(), index: 0 };
    parser.parameter()
}

struct Parser {
    chars: Vec<char>,
    index: usize,
}

fn is_start_word(c: char) -> bool {
    !(c.is_whitespace() || matches!(c, '"' | '\'' | ',' | '=' | '[' | '{')) && c >= '!'
}

fn is_first_follow(c: char) -> bool {
    c.is_whitespace() || (c >= '!' && !matches!(c, '"' | '\'' | ',' | ']' | '}'))
}

fn is_second_follow(c: char) -> bool {
    c.is_whitespace() || (c >= '!' && !matches!(c, '"' | '\'' | ',' | '='))
}

impl Parser {
    fn at_eof(&self) -> bool {
        self.index >= self.chars.len()
    }

    fn current(&self) -> Option<char> {
        self.chars.get(self.index).copied()
    }

    fn syntax_error(&self, expected: &str, actual: &str) -> ShorthandError {
        let input: String = self.chars.iter().collect();
        // The caret counts from the last newline before the error, as awscli does.
        let line_start = self.chars[..self.index.min(self.chars.len())]
            .iter()
            .rposition(|c| *c == '\n')
            .map_or(0, |at| at + 1);
        ShorthandError(format!(
            "Expected: '{expected}', received: '{actual}' for input:\n{input}\n{}^\n",
            " ".repeat(self.index - line_start)
        ))
    }

    fn consume_whitespace(&mut self) {
        while self.current().is_some_and(char::is_whitespace) {
            self.index += 1;
        }
    }

    fn expect(&mut self, c: char, consume_whitespace: bool) -> Result<(), ShorthandError> {
        if consume_whitespace {
            self.consume_whitespace();
        }
        match self.current() {
            None => return Err(self.syntax_error(&c.to_string(), "EOF")),
            Some(actual) if actual != c => return Err(self.syntax_error(&c.to_string(), &actual.to_string())),
            Some(_) => self.index += 1,
        }
        if consume_whitespace {
            self.consume_whitespace();
        }
        Ok(())
    }

    fn parameter(&mut self) -> Result<Node, ShorthandError> {
        let mut params: Vec<(String, Node)> = Vec::new();
        let (key, value) = self.keyval()?;
        params.push((key, value));
        while !self.at_eof() {
            self.expect(',', true)?;
            let (key, value) = self.keyval()?;
            if params.iter().any(|(k, _)| *k == key) {
                return Err(ShorthandError(format!(
                    "Second instance of key \"{key}\" encountered for input:\n{}\n{}^\nThis is often because there is a preceding \",\" instead of a space.",
                    self.chars.iter().collect::<String>(),
                    " ".repeat(self.index)
                )));
            }
            params.push((key, value));
        }
        Ok(Node::Map(params))
    }

    fn keyval(&mut self) -> Result<(String, Node), ShorthandError> {
        let key = self.key();
        self.expect('=', true)?;
        let value = self.values()?;
        Ok((key, value))
    }

    fn key(&mut self) -> String {
        let start = self.index;
        while self.current().is_some_and(|c| c.is_ascii_alphanumeric() || "-_.#/:".contains(c)) {
            self.index += 1;
        }
        self.chars[start..self.index].iter().collect()
    }

    fn values(&mut self) -> Result<Node, ShorthandError> {
        match self.current() {
            None => Ok(Node::Scalar(String::new())),
            Some('[') => self.explicit_list(),
            Some('{') => self.hash_literal(),
            Some(_) => self.csv_value(),
        }
    }

    fn csv_value(&mut self) -> Result<Node, ShorthandError> {
        let first = self.first_value()?;
        self.consume_whitespace();
        if self.current() != Some(',') {
            return Ok(Node::Scalar(first));
        }
        self.expect(',', true)?;
        let mut list = vec![Node::Scalar(first.clone())];
        loop {
            let before = self.index;
            match self.second_value() {
                Ok(value) => {
                    self.consume_whitespace();
                    list.push(Node::Scalar(value));
                    if self.at_eof() {
                        break;
                    }
                    if let Err(error) = self.expect(',', true) {
                        if self.at_eof() {
                            return Err(error);
                        }
                        self.backtrack_to_comma(before);
                        list.pop();
                        break;
                    }
                }
                Err(error) => {
                    if self.at_eof() {
                        return Err(error);
                    }
                    self.backtrack_to_comma(before);
                    break;
                }
            }
        }
        if list.len() == 1 {
            return Ok(Node::Scalar(first));
        }
        Ok(Node::List(list))
    }

    /// Goes back to the comma before `from`, so that `a=1,2,b=3` leaves `,b=3` for the next key.
    fn backtrack_to_comma(&mut self, from: usize) {
        self.index = from;
        while self.index > 0 && self.chars[self.index - 1] != ',' {
            self.index -= 1;
        }
        self.index = self.index.saturating_sub(1);
    }

    fn explicit_list(&mut self) -> Result<Node, ShorthandError> {
        self.expect('[', true)?;
        let mut values = Vec::new();
        loop {
            match self.current() {
                None => return Err(self.syntax_error("]", "EOF")),
                Some(']') => break,
                Some(_) => {}
            }
            values.push(self.explicit_values()?);
            self.consume_whitespace();
            if self.current() != Some(']') {
                self.expect(',', false)?;
                self.consume_whitespace();
            }
        }
        self.expect(']', false)?;
        Ok(Node::List(values))
    }

    fn explicit_values(&mut self) -> Result<Node, ShorthandError> {
        match self.current() {
            Some('[') => self.explicit_list(),
            Some('{') => self.hash_literal(),
            _ => Ok(Node::Scalar(self.first_value()?)),
        }
    }

    fn hash_literal(&mut self) -> Result<Node, ShorthandError> {
        self.expect('{', true)?;
        let mut entries = Vec::new();
        loop {
            match self.current() {
                None => return Err(self.syntax_error("}", "EOF")),
                Some('}') => break,
                Some(_) => {}
            }
            let key = self.key();
            self.expect('=', true)?;
            let value = self.explicit_values()?;
            self.consume_whitespace();
            if self.current() != Some('}') {
                self.expect(',', false)?;
                self.consume_whitespace();
            }
            entries.push((key, value));
        }
        self.expect('}', false)?;
        Ok(Node::Map(entries))
    }

    fn first_value(&mut self) -> Result<String, ShorthandError> {
        match self.current() {
            Some('\'') => self.quoted('\''),
            Some('"') => self.quoted('"'),
            _ => Ok(self.unquoted(is_first_follow).unwrap_or_default()),
        }
    }

    fn second_value(&mut self) -> Result<String, ShorthandError> {
        match self.current() {
            Some('\'') => self.quoted('\''),
            Some('"') => self.quoted('"'),
            _ => self.unquoted(is_second_follow).ok_or_else(|| self.syntax_error("<second>", "<none>")),
        }
    }

    /// A start character then follow characters; `\,` is an escaped comma. Trailing blanks dropped.
    fn unquoted(&mut self, follow: fn(char) -> bool) -> Option<String> {
        let mut text = String::new();
        let mut first = true;
        loop {
            let c = self.current()?;
            if c == '\\' && self.chars.get(self.index + 1) == Some(&',') {
                text.push(',');
                self.index += 2;
            } else if (first && is_start_word(c)) || (!first && follow(c)) {
                text.push(c);
                self.index += 1;
            } else {
                break;
            }
            first = false;
            if self.at_eof() {
                break;
            }
        }
        if first {
            return None;
        }
        Some(text.trim_end().to_string())
    }

    fn quoted(&mut self, quote: char) -> Result<String, ShorthandError> {
        let start = self.index;
        self.index += 1;
        let mut text = String::new();
        loop {
            match self.current() {
                None => {
                    self.index = start;
                    let name = if quote == '\'' { "singled quoted" } else { "double quoted" };
                    let actual = self.chars[start..].iter().collect::<String>();
                    return Err(self.syntax_error(name, &actual));
                }
                Some('\\') if matches!(self.chars.get(self.index + 1), Some(c) if *c == quote || *c == '\\') =>
                {
                    text.push(self.chars[self.index + 1]);
                    self.index += 2;
                }
                Some(c) if c == quote => {
                    self.index += 1;
                    return Ok(text);
                }
                Some(c) => {
                    text.push(c);
                    self.index += 1;
                }
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn s(text: &str) -> Node {
        Node::Scalar(text.into())
    }

    #[test]
    fn csv_values_become_a_list_until_the_next_key() {
        let node = parse("a=1,2,b=3").unwrap();
        assert_eq!(
            node,
            Node::Map(vec![("a".into(), Node::List(vec![s("1"), s("2")])), ("b".into(), s("3"))])
        );
    }
}
