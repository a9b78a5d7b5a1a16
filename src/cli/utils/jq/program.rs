//! The jq program on jaq: the data the filters run with, the filters replaced because they touch
//! the host (`now`, `env`, `halt`, `debug`, `stderr`), `@csv`/`@tsv`, and compiling with jaq's
//! standard library. Kept apart because it is the only place that knows jaq's traits.

use super::print::{compact, number_f64, string_text};
use super::EXIT_RUNTIME;
use jaq_core::load::{Arena, File, Loader};
use jaq_core::native::{run, v, Filter as NativeFilter, Fun};
use jaq_core::{data, Compiler, DataT, Error as JaqError, Lut, RunPtr};
use jaq_json::Val;
use jaq_std::input::{HasInputs, Inputs};
use std::cell::{Cell, RefCell};

/// What the jq program runs with: the compiled program's table, `input`/`inputs`, the clock,
/// and where `stderr`, `debug` and `halt` leave their effects.
pub(super) struct Data<'a> {
    pub(super) lut: &'a Lut<Kind>,
    pub(super) inputs: Inputs<'a, Val>,
    pub(super) now_seconds: f64,
    pub(super) stderr: &'a RefCell<String>,
    pub(super) halted: &'a Cell<Option<i32>>,
}

pub(super) struct Kind;

impl DataT for Kind {
    type V<'a> = Val;
    type Data<'a> = &'a Data<'a>;
}

impl<'a> data::HasLut<'a, Kind> for &'a Data<'a> {
    fn lut(&self) -> &'a Lut<Kind> {
        self.lut
    }
}

impl<'a> HasInputs<'a, Val> for &'a Data<'a> {
    fn inputs(&self) -> Inputs<'a, Val> {
        self.inputs
    }
}

/// The error the simulated `halt` raises to stop the program; never printed.
pub(super) const HALT: &str = "\u{0}halt";

pub(super) fn own_funs() -> Box<[NativeFilter<RunPtr<Kind>>]> {
    use jaq_core::native::bome;
    Box::new([
        ("now", v(0), |cv| bome(Ok(Val::from(cv.0.data().now_seconds)))),
        ("env", v(0), |_| bome(Ok(Val::obj(Default::default())))),
        ("halt", v(1), |mut cv| {
            let code = cv.0.pop_var();
            let data = cv.0.data();
            let code = match &code {
                Val::Num(n) => number_f64(n) as i32,
                _ => EXIT_RUNTIME,
            };
            data.halted.set(Some(code));
            bome(Err(JaqError::str(HALT)))
        }),
        ("stderr_empty", v(0), |cv| {
            let text = match &cv.1 {
                Val::TStr(_) | Val::BStr(_) => string_text(&cv.1),
                other => compact(other),
            };
            cv.0.data().stderr.borrow_mut().push_str(&text);
            Box::new(core::iter::empty())
        }),
        ("debug_empty", v(0), |cv| {
            let line = format!("[\"DEBUG:\",{}]\n", compact(&cv.1));
            cv.0.data().stderr.borrow_mut().push_str(&line);
            Box::new(core::iter::empty())
        }),
    ])
}

pub(super) fn funs() -> impl Iterator<Item = Fun<Kind>> {
    const REPLACED: &[&str] = &["now", "env", "halt", "stderr_empty", "debug_empty"];
    let std = jaq_std::funs::<Kind>().filter(|(name, _, _)| !REPLACED.contains(name));
    let run = run::<Kind>;
    let inputs = jaq_std::input::funs::<Kind>().into_vec().into_iter().map(run);
    let own = own_funs().into_vec().into_iter().map(run);
    jaq_core::funs::<Kind>().chain(std).chain(jaq_json::funs()).chain(inputs).chain(own)
}

/// jq's `@csv` and `@tsv`, which jaq's standard library leaves out.
pub(super) const OWN_DEFS: &str = r#"
def @csv: map(
    if type == "string" then "\"" + (split("\"") | join("\"\"")) + "\""
    elif type == "number" or type == "boolean" then tostring
    elif . == null then ""
    else error("\(type) (\(tojson)) is not valid in a csv row") end
  ) | join(",");
def @tsv: map(
    if type == "string" then split("\\") | join("\\\\") | split("\t") | join("\\t")
      | split("\n") | join("\\n") | split("\r") | join("\\r")
    elif type == "number" or type == "boolean" then tostring
    elif . == null then ""
    else error("\(type) (\(tojson)) is not valid in a tsv row") end
  ) | join("\t");
"#;

/// Compiles the program, or jq's compile-error text.
pub(super) fn compile(program: &str, vars: &[String]) -> Result<jaq_core::Filter<Kind>, String> {
    let own = jaq_core::load::parse(OWN_DEFS, |p| p.defs()).unwrap_or_default();
    let defs = jaq_core::defs().chain(jaq_std::defs()).chain(jaq_json::defs()).chain(own);
    let loader = Loader::new(defs);
    let arena = Arena::default();
    let first_line = program.lines().next().unwrap_or("");
    let report = |message: String| {
        format!("jq: error: {message} at <top-level>, line 1:\n{first_line}\njq: 1 compile error\n")
    };
    let modules = loader.load(&arena, File { code: program, path: () }).map_err(|errors| {
        let message = errors
            .into_iter()
            .next()
            .map(|(_, error)| describe_load_error(&error))
            .unwrap_or_else(|| "syntax error".into());
        report(message)
    })?;
    let vars: Vec<String> = vars.iter().map(|v| format!("${v}")).collect();
    Compiler::default()
        .with_funs(funs())
        .with_global_vars(vars.iter().map(String::as_str))
        .compile(modules)
        .map_err(|errors| {
            let message = errors
                .into_iter()
                .flat_map(|(_, errors)| errors)
                .next()
                .map(|(name, undefined)| {
                    let name = name.to_string();
                    match undefined {
                        jaq_core::compile::Undefined::Var => format!("{name} is not defined"),
                        jaq_core::compile::Undefined::Filter(arity) => {
                            format!("{name}/{arity} is not defined")
                        }
                        _ => format!("{name} is not defined"),
                    }
                })
                .unwrap_or_else(|| "compile error".into());
            report(message)
        })
}

pub(super) fn describe_load_error<S: std::fmt::Debug>(error: &jaq_core::load::Error<S>) -> String {
    use jaq_core::load::Error;
    match error {
        Error::Io(_) => "could not load module".into(),
        Error::Lex(_) | Error::Parse(_) => {
            "syntax error, unexpected INVALID_CHARACTER (Unix shell quoting issues?)".into()
        }
    }
}
