"""Interface strings of the role selector's passphrase lock (Romanian, English, Hungarian).

Registered with :func:`pata_gis.i18n.register` on import; :mod:`pata_gis.ui.common`
imports this module, so the keys exist whenever a page runs. The other sidebar
strings are in :mod:`pata_gis.ui.text_common`.
"""

from __future__ import annotations

from pata_gis.i18n import register

STRINGS: dict[str, dict[str, str]] = {
    "role.locked": {
        "ro": "Rolul {role} este blocat după {n} parole greșite: încercați din nou peste "
        "{minutes} min (după ora {until} UTC). Până atunci nici parola corectă nu este "
        "acceptată. Facilitatorul îl poate debloca acum, pe calculatorul spațiului de lucru: "
        "`pata-gis --workspace {path} role unlock {code}` (sau poate seta o parolă nouă cu "
        "`role set-passphrase {code}`).",
        "en": "The role {role} is locked after {n} wrong passphrases: try again in {minutes} "
        "min (after {until} UTC). Until then even the right passphrase is refused. The "
        "facilitator can unlock it now on the workspace's computer: "
        "`pata-gis --workspace {path} role unlock {code}` (or set a new passphrase with "
        "`role set-passphrase {code}`).",
        "hu": "A(z) {role} szerep {n} hibás jelmondat után zárolva van: próbálja újra "
        "{minutes} perc múlva ({until} UTC után). Addig a helyes jelmondatot sem fogadjuk el. "
        "A moderátor most feloldhatja a munkaterület számítógépén: "
        "`pata-gis --workspace {path} role unlock {code}` (vagy új jelmondatot állíthat be: "
        "`role set-passphrase {code}`).",
    },
    "role.tries_left": {
        "ro": "Parole greșite rămase până la blocarea rolului pentru {minutes} minute: {n}.",
        "en": "Wrong passphrases left before the role is locked for {minutes} minutes: {n}.",
        "hu": "Hátralévő hibás jelmondatok, mielőtt a szerep {minutes} percre zárolódik: {n}.",
    },
}
register(STRINGS)
