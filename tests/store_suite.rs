//! The store suite: every test runs on SQLite and (with `KIS_TEST_PG_URL`)
//! on PostgreSQL via `kis::store_test!`.

use std::panic::{AssertUnwindSafe, catch_unwind};
use std::sync::{Arc, Barrier};
use std::thread;

use chrono::NaiveDate;
use kis::core::error::KisError;
use kis::params;
use kis::store::migrate::{self, Migration, MigrationStatus, adapt_ddl};
use kis::store::{Backend, BulkInsert, Db, Sql, Value};
use kis::store_test;

/// Create tables in the project dialect (with the `{ID}` token).
fn ddl(db: &Db, sql: &str) {
    db.write(|tx| {
        let adapted = adapt_ddl(sql, tx.backend());
        tx.execute_batch(&adapted)
    })
    .unwrap();
}

fn count(db: &Db, table: &str) -> i64 {
    db.read(|sql| sql.query_one(&format!("SELECT COUNT(*) FROM {table}"), &[]))
        .unwrap()
        .i64(0)
        .unwrap()
}

const PERSON: &str = "CREATE TABLE person (
    id {ID},
    name TEXT NOT NULL,
    geburtsdatum TEXT,
    kinder BIGINT,
    CONSTRAINT person_name_uq UNIQUE (name),
    CONSTRAINT kinder_nicht_negativ CHECK (kinder >= 0)
)";

fn insert_person(
    tx: &mut dyn Sql,
    name: &str,
    kinder: Option<i64>,
) -> kis::core::error::Result<i64> {
    tx.query_one(
        "INSERT INTO person (name, kinder) VALUES (?, ?) RETURNING id",
        &params![name, kinder],
    )?
    .i64(0)
}

store_test!(placeholders_in_string_literals_are_untouched, |db: &Db| {
    ddl(
        db,
        "CREATE TABLE notiz (text TEXT NOT NULL, nr BIGINT NOT NULL)",
    );
    db.write(|tx| {
        tx.execute(
            "INSERT INTO notiz (text, nr) VALUES ('Wer? Wie? \"Was?\"' || ?, ?) -- warum?",
            &params!["!", 7],
        )
    })
    .unwrap();
    let row = db
        .read(|sql| {
            sql.query_one(
                "SELECT text, 'it''s ?' AS fest, nr FROM notiz /* ? */ WHERE nr = ?",
                &params![7],
            )
        })
        .unwrap();
    assert_eq!(row.str(0).unwrap(), "Wer? Wie? \"Was?\"!");
    assert_eq!(row.str(1).unwrap(), "it's ?");
    assert_eq!(row.i64(2).unwrap(), 7);
});

store_test!(insert_returning_id, |db: &Db| {
    ddl(db, PERSON);
    let (a, b) = db
        .write(|tx| {
            Ok((
                insert_person(tx, "Anna", None)?,
                insert_person(tx, "Bernd", Some(2))?,
            ))
        })
        .unwrap();
    assert!(a > 0);
    assert_eq!(b, a + 1);
    let row = db
        .read(|sql| sql.query_one("SELECT name, kinder FROM person WHERE id = ?", &params![b]))
        .unwrap();
    assert_eq!(row.str(row.idx("NAME").unwrap()).unwrap(), "Bernd");
    assert_eq!(row.i64(1).unwrap(), 2);
});

store_test!(execute_reports_affected_rows, |db: &Db| {
    ddl(db, PERSON);
    let n = db
        .write(|tx| {
            for name in ["A", "B", "C"] {
                insert_person(tx, name, Some(1))?;
            }
            tx.execute(
                "UPDATE person SET kinder = kinder + ? WHERE name <> ?",
                &params![1, "A"],
            )
        })
        .unwrap();
    assert_eq!(n, 2);
    let n = db
        .write(|tx| {
            tx.execute(
                "INSERT INTO person (name) VALUES (?) RETURNING id",
                &params!["D"],
            )
        })
        .unwrap();
    assert_eq!(n, 1);
    let n = db
        .write(|tx| tx.execute("DELETE FROM person", &[]))
        .unwrap();
    assert_eq!(n, 4);
});

store_test!(null_handling, |db: &Db| {
    ddl(db, PERSON);
    db.write(|tx| {
        tx.execute(
            "INSERT INTO person (name, geburtsdatum, kinder) VALUES (?, ?, ?)",
            &params!["Ohne", None::<NaiveDate>, None::<i64>],
        )
    })
    .unwrap();
    let row = db
        .read(|sql| {
            sql.query_one(
                "SELECT geburtsdatum, kinder FROM person WHERE kinder IS NULL AND name = ?",
                &params!["Ohne"],
            )
        })
        .unwrap();
    assert_eq!(row.value(0), &Value::Null);
    assert_eq!(row.opt_date(0).unwrap(), None);
    assert_eq!(row.opt_i64(1).unwrap(), None);
    assert_eq!(row.opt_str(1).unwrap(), None);
    assert!(row.i64(1).is_err());
    // A NULL compared through a typed parameter matches nothing.
    let hits = db
        .read(|sql| {
            sql.query(
                "SELECT id FROM person WHERE kinder = ?",
                &params![None::<i64>],
            )
        })
        .unwrap();
    assert!(hits.is_empty());
});

store_test!(dates_round_trip_and_compare_as_text, |db: &Db| {
    ddl(
        db,
        "CREATE TABLE ereignis (id {ID}, tag TEXT NOT NULL, zeit TEXT NOT NULL)",
    );
    let d1 = NaiveDate::from_ymd_opt(2026, 2, 1).unwrap();
    let d2 = NaiveDate::from_ymd_opt(2026, 11, 25).unwrap();
    let t1 = d1.and_hms_opt(10, 32, 0).unwrap();
    let t2 = d2.and_hms_milli_opt(8, 5, 3, 125).unwrap();
    db.write(|tx| {
        tx.execute(
            "INSERT INTO ereignis (tag, zeit) VALUES (?, ?)",
            &params![d1, t1],
        )?;
        tx.execute(
            "INSERT INTO ereignis (tag, zeit) VALUES (?, ?)",
            &params![d2, &t2],
        )
    })
    .unwrap();
    let rows = db
        .read(|sql| {
            sql.query(
                "SELECT tag, zeit FROM ereignis WHERE tag >= ? ORDER BY tag",
                &params![NaiveDate::from_ymd_opt(2026, 1, 31).unwrap()],
            )
        })
        .unwrap();
    assert_eq!(rows.len(), 2);
    assert_eq!(rows[0].date(0).unwrap(), d1);
    assert_eq!(rows[0].datetime(1).unwrap(), t1);
    assert_eq!(rows[0].str(1).unwrap(), "2026-02-01T10:32:00");
    assert_eq!(rows[1].date(0).unwrap(), d2);
    assert_eq!(rows[1].datetime(1).unwrap(), t2);
    let later = db
        .read(|sql| sql.query("SELECT tag FROM ereignis WHERE zeit > ?", &params![t1]))
        .unwrap();
    assert_eq!(later.len(), 1);
});

store_test!(big_integers_round_trip, |db: &Db| {
    ddl(db, "CREATE TABLE zahl (id {ID}, wert BIGINT NOT NULL)");
    for v in [i64::MAX, i64::MIN, 0, -1, 1 << 40] {
        let got = db
            .write(|tx| {
                let id = tx
                    .query_one(
                        "INSERT INTO zahl (wert) VALUES (?) RETURNING id",
                        &params![v],
                    )?
                    .i64(0)?;
                tx.query_one("SELECT wert FROM zahl WHERE id = ?", &params![id])?
                    .i64(0)
            })
            .unwrap();
        assert_eq!(got, v);
    }
});

store_test!(sum_of_bigint_is_an_int, |db: &Db| {
    ddl(db, "CREATE TABLE buchung (id {ID}, cent BIGINT NOT NULL)");
    let empty = db
        .read(|sql| {
            sql.query_one(
                "SELECT SUM(cent), CAST(SUM(cent) AS BIGINT) FROM buchung",
                &[],
            )
        })
        .unwrap();
    assert_eq!(empty.opt_i64(0).unwrap(), None);
    assert_eq!(empty.opt_i64(1).unwrap(), None);
    db.write(|tx| {
        for c in [12_345_678_901i64, -1, 250] {
            tx.execute("INSERT INTO buchung (cent) VALUES (?)", &params![c])?;
        }
        Ok(())
    })
    .unwrap();
    let row = db
        .read(|sql| {
            sql.query_one(
                "SELECT SUM(cent), CAST(SUM(cent) AS BIGINT), COALESCE(CAST(SUM(cent) AS BIGINT), 0), COUNT(*) \
                 FROM buchung",
                &[],
            )
        })
        .unwrap();
    for i in 0..3 {
        assert_eq!(row.value(i), &Value::Int(12_345_679_150), "Spalte {i}");
    }
    assert_eq!(row.i64(3).unwrap(), 3);
});

store_test!(rollback_on_error_leaves_nothing, |db: &Db| {
    ddl(db, PERSON);
    let result: kis::core::error::Result<()> = db.write(|tx| {
        insert_person(tx, "Flüchtig", None)?;
        Err(KisError::validation("Abbruch"))
    });
    assert_eq!(result, Err(KisError::validation("Abbruch")));
    assert_eq!(count(db, "person"), 0);
    // The connection is clean for the next transaction.
    db.write(|tx| insert_person(tx, "Bleibt", None)).unwrap();
    assert_eq!(count(db, "person"), 1);
});

store_test!(rollback_on_panic_leaves_nothing, |db: &Db| {
    ddl(db, PERSON);
    let outcome = catch_unwind(AssertUnwindSafe(|| {
        db.write(|tx| -> kis::core::error::Result<()> {
            insert_person(tx, "Panik", None)?;
            panic!("mitten in der Transaktion");
        })
    }));
    assert!(outcome.is_err());
    assert_eq!(count(db, "person"), 0);
    // The write lock was released: another transaction gets through.
    db.write(|tx| insert_person(tx, "Danach", None)).unwrap();
    assert_eq!(count(db, "person"), 1);
});

store_test!(unique_violation_is_a_conflict, |db: &Db| {
    ddl(db, PERSON);
    db.write(|tx| insert_person(tx, "Doppelt", None)).unwrap();
    let e = db
        .write(|tx| insert_person(tx, "Doppelt", None))
        .unwrap_err();
    assert_eq!(
        e,
        KisError::Conflict("Ein Datensatz mit diesem Schlüssel existiert bereits.".into())
    );
    // Primary keys count as keys too.
    let e = db
        .write(|tx| {
            tx.execute(
                "INSERT INTO person (id, name) SELECT id, 'Anders' FROM person",
                &[],
            )
        })
        .unwrap_err();
    assert!(matches!(e, KisError::Conflict(_)), "{e:?}");
    assert_eq!(count(db, "person"), 1);
});

store_test!(
    a_failed_statement_spoils_the_write_transaction,
    |db: &Db| {
        ddl(db, PERSON);
        db.write(|tx| insert_person(tx, "Erst", None)).unwrap();
        let e = db
            .write(|tx| {
                insert_person(tx, "Neu", None)?;
                // Caught and ignored: PostgreSQL has aborted the transaction now,
                // and the store makes SQLite behave the same.
                let dup = insert_person(tx, "Erst", None);
                assert!(matches!(dup, Err(KisError::Conflict(_))));
                let later = insert_person(tx, "Danach", None).unwrap_err();
                assert!(
                    matches!(&later, KisError::Db(m) if m.contains("abgebrochen")),
                    "{later:?}"
                );
                Ok(())
            })
            .unwrap_err();
        assert_eq!(
            e,
            KisError::Conflict("Ein Datensatz mit diesem Schlüssel existiert bereits.".into())
        );
        assert_eq!(count(db, "person"), 1);
        // Expected conflicts are handled in SQL, and errors of the program's own
        // kinds leave the transaction intact.
        db.write(|tx| {
            tx.execute(
                "INSERT INTO person (name) VALUES (?) ON CONFLICT (name) DO NOTHING",
                &params!["Erst"],
            )?;
            let missing = tx.query_one("SELECT id FROM person WHERE name = ?", &params!["Keiner"]);
            assert!(matches!(missing, Err(KisError::NotFound(_))));
            let stopped = tx.for_each("SELECT id FROM person", &[], &mut |_| {
                Err(KisError::Conflict("vom Aufrufer".into()))
            });
            assert!(stopped.is_err());
            insert_person(tx, "Zweit", None)
        })
        .unwrap();
        assert_eq!(count(db, "person"), 2);
    }
);

store_test!(check_violation_is_a_conflict_naming_the_rule, |db: &Db| {
    ddl(db, PERSON);
    let e = db
        .write(|tx| insert_person(tx, "Negativ", Some(-1)))
        .unwrap_err();
    assert_eq!(
        e,
        KisError::Conflict(
            "Der Datensatz verletzt eine Prüfregel der Datenbank (CHECK kinder_nicht_negativ)."
                .into()
        )
    );
});

store_test!(foreign_key_violation_is_a_conflict, |db: &Db| {
    ddl(
        db,
        "CREATE TABLE haushalt (id {ID});
         CREATE TABLE mitglied (id {ID}, haushalt_id BIGINT NOT NULL REFERENCES haushalt (id))",
    );
    let e = db
        .write(|tx| {
            tx.execute(
                "INSERT INTO mitglied (haushalt_id) VALUES (?)",
                &params![99],
            )
        })
        .unwrap_err();
    assert!(
        matches!(&e, KisError::Conflict(m) if m.contains("nicht vorhandenen")),
        "{e:?}"
    );
});

store_test!(query_one_and_query_opt, |db: &Db| {
    ddl(db, PERSON);
    db.write(|tx| insert_person(tx, "Einzig", None)).unwrap();
    db.read(|sql| {
        assert!(
            sql.query_opt("SELECT id FROM person WHERE name = ?", &params!["Keiner"])?
                .is_none()
        );
        let e = sql
            .query_one("SELECT id FROM person WHERE name = ?", &params!["Keiner"])
            .unwrap_err();
        assert!(matches!(e, KisError::NotFound(_)), "{e:?}");
        let first = sql.query_opt("SELECT name FROM person", &[])?.unwrap();
        assert_eq!(first.str(0)?, "Einzig");
        Ok(())
    })
    .unwrap();
});

store_test!(sql_errors_are_db_errors, |db: &Db| {
    let e = db
        .read(|sql| sql.query("SELECT * FROM gibt_es_nicht", &[]))
        .unwrap_err();
    assert!(matches!(e, KisError::Db(_)), "{e:?}");
    let e = db
        .read(|sql| sql.query("SELECT ? + ?", &params![1]))
        .unwrap_err();
    assert!(matches!(e, KisError::Db(_)), "{e:?}");
    // The connection stays usable.
    let n = db
        .read(|sql| sql.query_one("SELECT 1", &[]))
        .unwrap()
        .i64(0)
        .unwrap();
    assert_eq!(n, 1);
});

store_test!(parameters_adapt_to_column_types, |db: &Db| {
    // Not the project style, but must not break: INTEGER (int4) and SMALLINT columns.
    ddl(
        db,
        "CREATE TABLE alt (klein SMALLINT, mittel INTEGER, text TEXT)",
    );
    db.write(|tx| {
        tx.execute(
            "INSERT INTO alt (klein, mittel, text) VALUES (?, ?, ?)",
            &params![7, 70_000, 42],
        )
    })
    .unwrap();
    let row = db
        .read(|sql| sql.query_one("SELECT klein, mittel, text FROM alt", &[]))
        .unwrap();
    assert_eq!(row.i64(0).unwrap(), 7);
    assert_eq!(row.i64(1).unwrap(), 70_000);
    assert_eq!(row.str(2).unwrap(), "42");
    if db.backend() == Backend::Postgres {
        // Text into an integer column and out-of-range values are clear errors.
        let e = db
            .write(|tx| tx.execute("INSERT INTO alt (mittel) VALUES (?)", &params!["sieben"]))
            .unwrap_err();
        assert!(matches!(&e, KisError::Db(m) if m.contains("$1")), "{e:?}");
        let e = db
            .write(|tx| tx.execute("INSERT INTO alt (klein) VALUES (?)", &params![100_000]))
            .unwrap_err();
        assert!(matches!(e, KisError::Db(_)), "{e:?}");
    }
});

const MIGRATIONS: &[Migration] = &[
    Migration {
        version: 1,
        name: "konto",
        sql: "CREATE TABLE konto (id {ID}, nummer TEXT NOT NULL UNIQUE);",
    },
    Migration {
        version: 2,
        name: "konto_saldo",
        sql: "ALTER TABLE konto ADD COLUMN saldo_cent BIGINT NOT NULL DEFAULT 0;
              CREATE INDEX konto_saldo_idx ON konto (saldo_cent);",
    },
    Migration {
        version: 3,
        name: "buchung",
        sql: "CREATE TABLE buchung (id {ID}, konto_id BIGINT NOT NULL REFERENCES konto (id), cent BIGINT NOT NULL);",
    },
];

store_test!(migrations_apply_once, |db: &Db| {
    assert_eq!(
        migrate::status(db, MIGRATIONS).unwrap(),
        MigrationStatus {
            current: None,
            latest: 3,
            pending: vec![1, 2, 3]
        }
    );
    assert_eq!(migrate::migrate(db, &MIGRATIONS[..2]).unwrap(), vec![1, 2]);
    assert_eq!(
        migrate::status(db, MIGRATIONS).unwrap(),
        MigrationStatus {
            current: Some(2),
            latest: 3,
            pending: vec![3]
        }
    );
    assert_eq!(migrate::migrate(db, MIGRATIONS).unwrap(), vec![3]);
    assert_eq!(migrate::migrate(db, MIGRATIONS).unwrap(), Vec::<u32>::new());
    assert_eq!(
        migrate::status(db, MIGRATIONS).unwrap(),
        MigrationStatus {
            current: Some(3),
            latest: 3,
            pending: vec![]
        }
    );
    // The schema is really there.
    let id = db
        .write(|tx| {
            let id = tx
                .query_one(
                    "INSERT INTO konto (nummer) VALUES (?) RETURNING id",
                    &params!["4711"],
                )?
                .i64(0)?;
            tx.execute(
                "INSERT INTO buchung (konto_id, cent) VALUES (?, ?)",
                &params![id, 500],
            )?;
            Ok(id)
        })
        .unwrap();
    let saldo = db
        .read(|sql| sql.query_one("SELECT saldo_cent FROM konto WHERE id = ?", &params![id]))
        .unwrap();
    assert_eq!(saldo.i64(0).unwrap(), 0);
    assert_eq!(count(db, "schema_migrations"), 3);
    // An older program must not run against a newer database.
    assert!(migrate::migrate(db, &MIGRATIONS[..1]).is_err());
});

store_test!(failing_migration_changes_nothing, |db: &Db| {
    let broken = [
        MIGRATIONS[0],
        Migration {
            version: 2,
            name: "kaputt",
            sql: "CREATE TABLE ok (x BIGINT); CREATE TABLE ok (x BIGINT);",
        },
    ];
    let e = migrate::migrate(db, &broken).unwrap_err();
    assert!(
        matches!(&e, KisError::Db(m) if m.contains("Migration 2 (kaputt)")),
        "{e:?}"
    );
    let st = migrate::status(db, &broken).unwrap();
    assert_eq!(st.current, Some(1));
    assert_eq!(st.pending, vec![2]);
    // The first statement of the broken script was rolled back with it.
    let e = db
        .read(|sql| sql.query("SELECT x FROM ok", &[]))
        .unwrap_err();
    assert!(matches!(e, KisError::Db(_)));
});

store_test!(concurrent_migrators_apply_each_version_once, |db: &Db| {
    let barrier = Arc::new(Barrier::new(3));
    let handles: Vec<_> = (0..3)
        .map(|_| {
            let db = db.clone();
            let barrier = barrier.clone();
            thread::spawn(move || {
                barrier.wait();
                migrate::migrate(&db, MIGRATIONS).unwrap()
            })
        })
        .collect();
    let mut all: Vec<u32> = handles
        .into_iter()
        .flat_map(|h| h.join().unwrap())
        .collect();
    all.sort();
    assert_eq!(all, vec![1, 2, 3]);
});

store_test!(concurrent_writers_both_succeed, |db: &Db| {
    ddl(
        db,
        "CREATE TABLE zaehler (id BIGINT PRIMARY KEY, stand BIGINT NOT NULL)",
    );
    db.write(|tx| tx.execute("INSERT INTO zaehler (id, stand) VALUES (1, 0)", &[]))
        .unwrap();
    let barrier = Arc::new(Barrier::new(2));
    let handles: Vec<_> = (0..2)
        .map(|_| {
            let db = db.clone();
            let barrier = barrier.clone();
            thread::spawn(move || {
                barrier.wait();
                for _ in 0..25 {
                    // Read-modify-write: only correct if writers are serialised
                    // (SQLite BEGIN IMMEDIATE; PostgreSQL row lock by UPDATE first).
                    db.write(|tx| {
                        tx.execute("UPDATE zaehler SET stand = stand WHERE id = 1", &[])?;
                        let stand = tx
                            .query_one("SELECT stand FROM zaehler WHERE id = 1", &[])?
                            .i64(0)?;
                        thread::yield_now();
                        tx.execute(
                            "UPDATE zaehler SET stand = ? WHERE id = 1",
                            &params![stand + 1],
                        )
                    })
                    .unwrap();
                }
            })
        })
        .collect();
    for h in handles {
        h.join().unwrap();
    }
    let stand = db
        .read(|sql| sql.query_one("SELECT stand FROM zaehler WHERE id = 1", &[]))
        .unwrap();
    assert_eq!(stand.i64(0).unwrap(), 50);
});

store_test!(for_each_streams_rows, |db: &Db| {
    ddl(db, "CREATE TABLE posten (id {ID}, cent BIGINT NOT NULL)");
    db.write(|tx| {
        for i in 1..=2000i64 {
            tx.execute("INSERT INTO posten (cent) VALUES (?)", &params![i])?;
        }
        Ok(())
    })
    .unwrap();
    let (mut seen, mut sum) = (0i64, 0i64);
    db.read(|sql| {
        sql.for_each(
            "SELECT id, cent FROM posten WHERE cent > ? ORDER BY id",
            &params![0],
            &mut |r| {
                seen += 1;
                sum += r.i64(1)?;
                Ok(())
            },
        )
    })
    .unwrap();
    assert_eq!((seen, sum), (2000, 2000 * 2001 / 2));
    // An error from the callback stops the stream and is returned as is.
    let mut calls = 0;
    let e = db
        .read(|sql| {
            sql.for_each("SELECT id FROM posten ORDER BY id", &[], &mut |_| {
                calls += 1;
                if calls == 10 {
                    return Err(KisError::validation("genug"));
                }
                Ok(())
            })
        })
        .unwrap_err();
    assert_eq!(e, KisError::validation("genug"));
    assert_eq!(calls, 10);
    // The connection works afterwards.
    assert_eq!(count(db, "posten"), 2000);
});

store_test!(bulk_insert_writes_all_rows, |db: &Db| {
    ddl(
        db,
        "CREATE TABLE massen (id {ID}, name TEXT NOT NULL, tag TEXT, cent BIGINT NOT NULL)",
    );
    let written = db
        .write(|tx| {
            let mut bulk = BulkInsert::new("massen", &["name", "tag", "cent"])?;
            for i in 0..1234i64 {
                let tag = (i % 2 == 0).then(|| NaiveDate::from_ymd_opt(2026, 1, 1).unwrap());
                bulk.push(tx, params![format!("Name {i}"), tag, i])?;
            }
            let short = bulk.push(tx, params!["zu kurz"]);
            assert!(matches!(short, Err(KisError::Db(_))));
            bulk.finish(tx)
        })
        .unwrap();
    assert_eq!(written, 1234);
    let row = db
        .read(|sql| {
            sql.query_one(
                "SELECT COUNT(*), CAST(SUM(cent) AS BIGINT), COUNT(tag), MAX(name) FROM massen",
                &[],
            )
        })
        .unwrap();
    assert_eq!(row.i64(0).unwrap(), 1234);
    assert_eq!(row.i64(1).unwrap(), 1233 * 1234 / 2);
    assert_eq!(row.i64(2).unwrap(), 617);
    assert_eq!(row.str(3).unwrap(), "Name 999");
});

store_test!(pool_serves_many_threads, |db: &Db| {
    fn assert_shareable<T: Send + Sync + Clone + 'static>(_: &T) {}
    assert_shareable(db);
    ddl(db, "CREATE TABLE eintrag (id {ID}, thread BIGINT NOT NULL)");
    let handles: Vec<_> = (0..12i64)
        .map(|t| {
            let db = db.clone();
            thread::spawn(move || {
                for _ in 0..10 {
                    db.write(|tx| {
                        tx.execute("INSERT INTO eintrag (thread) VALUES (?)", &params![t])
                    })
                    .unwrap();
                    let mine = db
                        .read(|sql| {
                            sql.query_one(
                                "SELECT COUNT(*) FROM eintrag WHERE thread = ?",
                                &params![t],
                            )
                        })
                        .unwrap()
                        .i64(0)
                        .unwrap();
                    assert!(mine >= 1);
                }
            })
        })
        .collect();
    for h in handles {
        h.join().unwrap();
    }
    assert_eq!(count(db, "eintrag"), 120);
});

store_test!(lost_connection_is_replaced, |db: &Db| {
    if db.backend() != Backend::Postgres {
        return;
    }
    let pid = db
        .read(|sql| sql.query_one("SELECT pg_backend_pid()", &[]))
        .unwrap()
        .i64(0)
        .unwrap();
    let admin = Db::open(&std::env::var(kis::testing::PG_URL_VAR).unwrap()).unwrap();
    let killed = admin
        .read(|sql| sql.query_one("SELECT pg_terminate_backend(?)", &params![pid]))
        .unwrap();
    assert!(killed.bool(0).unwrap());
    // Termination is asynchronous: wait (bounded) until the backend is gone.
    for _ in 0..500 {
        let alive = admin
            .read(|sql| {
                sql.query_one(
                    "SELECT COUNT(*) FROM pg_stat_activity WHERE pid = ?",
                    &params![pid],
                )
            })
            .unwrap()
            .i64(0)
            .unwrap();
        if alive == 0 {
            break;
        }
        thread::sleep(std::time::Duration::from_millis(10));
    }
    // The first use may still report the broken connection; it is then
    // discarded and the next use gets a fresh one.
    let first = db.read(|sql| sql.query_one("SELECT 1", &[]));
    if let Err(e) = &first {
        assert!(matches!(e, KisError::Db(_)), "{e:?}");
    }
    let again = db
        .read(|sql| sql.query_one("SELECT pg_backend_pid()", &[]))
        .unwrap();
    assert_ne!(again.i64(0).unwrap(), pid);
});

store_test!(describe_names_the_store, |db: &Db| {
    let d = db.describe();
    match db.backend() {
        Backend::Sqlite => {
            let path = db.sqlite_path().unwrap();
            assert!(path.is_absolute());
            assert_eq!(d, format!("SQLite {}", path.display()));
        }
        Backend::Postgres => {
            assert!(db.sqlite_path().is_none());
            assert!(
                d.starts_with("PostgreSQL ") && d.contains("(Schema kis_t_"),
                "{d}"
            );
        }
    }
});

#[test]
fn unreachable_postgres_is_a_clear_error() {
    let e = Db::open("postgres://kis@127.0.0.1:1/kis?connect_timeout=2").unwrap_err();
    assert!(
        matches!(&e, KisError::Db(m) if m.starts_with("PostgreSQL nicht erreichbar (kis@127.0.0.1:1/kis)")),
        "{e:?}"
    );
}
