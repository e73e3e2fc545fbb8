//! Musterstadt's dunning settings. The fee follows the pattern of the
//! Kostenordnungen of the Verwaltungsvollstreckungsgesetze (a percentage of
//! the Mahnbetrag with a minimum and a maximum); the figures are the demo's
//! and must be set from the Mandant's state law in production.

use super::mahnlauf;
use super::model::Mahneinstellung;
use crate::core::error::Result;
use crate::core::money::Money;
use crate::kernel::audit::Actor;
use crate::store::Sql;

pub fn einstellung() -> Mahneinstellung {
    Mahneinstellung {
        karenz_tage: 7,
        bagatell: Money::from_cents(500),
        gebuehr_fest: Money::zero(),
        gebuehr_prozent_bp: 100,
        gebuehr_min: Money::from_cents(500),
        gebuehr_max: Money::from_cents(10_000),
        stufen: 2,
        abstand_tage: 14,
        zahlungsfrist_tage: 7,
        ertragskonto: "4562".into(),
        terminverlust: true,
        zinsertragskonto: "4691".into(),
        abschreibungskonto: "5761".into(),
        wertaufholungskonto: "4591".into(),
    }
}

/// Load the settings inside the demo loader's transaction.
pub fn load_demo_in(sql: &mut dyn Sql, actor: &Actor) -> Result<()> {
    mahnlauf::einstellung_setzen_in(sql, actor, &einstellung())
}
