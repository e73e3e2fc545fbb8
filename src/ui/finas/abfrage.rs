//! FINAS query masks (FIN100, FIN200, FIN310, FIN400): the selection
//! fields on top, Enter runs the query, the list takes line commands. They
//! run on the common search-mask engine ([`SearchScreen`]); an [`Abfrage`]
//! only says what to ask, what to list and what a line command shows, and
//! optionally what ⟨save⟩ does and how a question is answered.

use crate::core::error::Result;
use crate::core::roles::Role;
use crate::ui::form::{Form, MaskDef};
use crate::ui::list::{Column, LineCommand, ListRow, ListSource, VecSource};
use crate::ui::screen::{Env, Nav, Screen};
use crate::ui::search::{Search, SearchScreen};

/// What a query mask asks and shows.
pub trait Abfrage {
    fn mask(&self) -> MaskDef;
    fn columns(&self) -> Vec<Column>;
    fn line_commands(&self) -> Vec<LineCommand>;
    /// Fill the form's defaults (e.g. the current year).
    fn defaults(&self, form: &mut Form, env: &mut Env);
    /// Run the query: the rows and the message for the message line.
    fn rows(&self, form: &Form, env: &mut Env) -> Result<(Vec<ListRow>, String)>;
    /// A line command on a row.
    fn line_command(&self, c: char, key: &str, form: &Form, env: &mut Env) -> Nav;
    /// A line command that may be refused (a refusal about a field of the
    /// mask puts the cursor there); by default [`Abfrage::line_command`].
    fn try_line_command(&self, c: char, key: &str, form: &Form, env: &mut Env) -> Result<Nav> {
        Ok(self.line_command(c, key, form, env))
    }
    /// Whether ⟨save⟩ carries out an action of the mask (e.g. adopting the
    /// plan version shown), and the roles of which it needs one.
    fn saves(&self) -> Option<&'static [Role]> {
        None
    }
    /// ⟨save⟩: the mask's action (it may ask first).
    fn save(&self, _form: &mut Form, _env: &mut Env) -> Result<Nav> {
        Ok(Nav::Stay)
    }
    /// The answer to a question asked by a line command or by ⟨save⟩.
    fn answered(
        &self,
        _form: &mut Form,
        _env: &mut Env,
        _tag: &'static str,
        _yes: bool,
    ) -> Result<Nav> {
        Ok(Nav::Stay)
    }
}

/// Open a query mask; the list stays empty until the clerk presses Enter.
pub fn open<A: Abfrage + 'static>(a: A, env: &mut Env) -> Result<Box<dyn Screen>> {
    SearchScreen::open(Query(a), env)
}

struct Query<A>(A);

impl<A: Abfrage> Search for Query<A> {
    fn mask(&self) -> MaskDef {
        self.0.mask()
    }

    fn columns(&self) -> Vec<Column> {
        self.0.columns()
    }

    fn line_commands(&self) -> Vec<LineCommand> {
        self.0.line_commands()
    }

    fn defaults(&self, form: &mut Form, env: &mut Env) {
        self.0.defaults(form, env);
    }

    fn search(&mut self, env: &mut Env, form: &Form) -> Result<Box<dyn ListSource>> {
        let (rows, message) = self.0.rows(form, env)?;
        env.info(message);
        Ok(Box::new(VecSource(rows)))
    }

    fn open(&mut self, env: &mut Env, letter: char, key: &str, form: &Form) -> Result<Nav> {
        self.0.try_line_command(letter, key, form, env)
    }

    fn search_on_open(&self) -> bool {
        false
    }

    fn saves(&self) -> Option<&'static [Role]> {
        self.0.saves()
    }

    fn save(&mut self, env: &mut Env, form: &mut Form) -> Result<Nav> {
        self.0.save(form, env)
    }

    fn answered(
        &mut self,
        env: &mut Env,
        form: &mut Form,
        tag: &'static str,
        yes: bool,
    ) -> Result<Nav> {
        self.0.answered(form, env, tag, yes)
    }
}
