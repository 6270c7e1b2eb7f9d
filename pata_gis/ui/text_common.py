"""Interface strings of the sidebar shared by every page (roles, language, workspace) (Romanian, English, Hungarian).

Registered with :func:`pata_gis.i18n.register` on import; the page imports
this module, so the keys exist whenever the page runs.
"""

from __future__ import annotations

from pata_gis.i18n import register

STRINGS: dict[str, dict[str, str]] = {
    "role.label": {"ro": "Rol", "en": "Role", "hu": "Szerep"},
    "role.public": {"ro": "Public", "en": "Public", "hu": "Nyilvános"},
    "role.community": {
        "ro": "Comunitate (atelier)",
        "en": "Community (workshop)",
        "hu": "Közösség (műhely)",
    },
    "role.planner": {"ro": "Urbanist", "en": "Planner", "hu": "Tervező"},
    "role.police": {
        "ro": "Poliție / intervenție",
        "en": "Police / emergency",
        "hu": "Rendőrség / mentés",
    },
    "role.passphrase": {
        "ro": "Parola rolului",
        "en": "Role passphrase",
        "hu": "A szerep jelmondata",
    },
    "role.enter": {"ro": "Intră în rol", "en": "Enter the role", "hu": "Belépés a szerepbe"},
    "role.wrong": {
        "ro": "Parolă greșită pentru rolul {role}. Nu se arată nimic în plus.",
        "en": "Wrong passphrase for the role {role}. Nothing more is shown.",
        "hu": "Hibás jelmondat a(z) {role} szerephez. Semmi több nem jelenik meg.",
    },
    "role.not_set": {
        "ro": "Rolul {role} nu are încă parolă, deci nu poate fi folosit. "
        "Pe acest calculator rulați: `pata-gis --workspace {path} role set-passphrase {code}`",
        "en": "The role {role} has no passphrase yet, so it cannot be entered. "
        "On this computer run: `pata-gis --workspace {path} role set-passphrase {code}`",
        "hu": "A(z) {role} szerepnek még nincs jelmondata, ezért nem lehet belépni vele. Ezen a "
        "számítógépen futtassa: `pata-gis --workspace {path} role set-passphrase {code}`",
    },
    "role.changed": {
        "ro": "Parola rolului a fost schimbată: sunteți din nou în rolul public. "
        "Intrați din nou cu parola nouă.",
        "en": "The role's passphrase was changed: you are back in the public role. "
        "Enter again with the new passphrase.",
        "hu": "A szerep jelmondata megváltozott: ismét a nyilvános szerepben van. Lépjen be újra "
        "az új jelmondattal.",
    },
    "role.current": {
        "ro": "Vedeți datele ca: **{role}**",
        "en": "You see the data as: **{role}**",
        "hu": "Így látja az adatokat: **{role}**",
    },
    "role.aggregated_note": {
        "ro": "Straturile confidențiale apar doar agregate (celule de {cell} m, "
        "celulele cu mai puțin de {k} marcaje sunt ascunse).",
        "en": "Confidential layers appear aggregated only ({cell} m cells, cells with "
        "fewer than {k} marks hidden).",
        "hu": "A bizalmas rétegek csak összesítve jelennek meg ({cell} m-es cellák; azok a "
        "cellák, amelyekben kevesebb mint {k} jelölés van, rejtve maradnak).",
    },
}
register(STRINGS)
