"""Strings of the workshop page's unsaved drawings (the draft kept across map redraws).

Romanian first, then English and Hungarian. Kept apart from
:mod:`pata_gis.ui.text_workshop` so the two can be translated independently.
"""

from __future__ import annotations

from pata_gis.i18n import register

__all__ = ["STRINGS"]

STRINGS: dict[str, dict[str, str]] = {
    "workshop.draft_restored": {
        "ro": "{n} desene nesalvate au fost păstrate și sunt din nou pe hartă, cu formularele "
        "lor. Le puteți modifica sau șterge cu uneltele hărții.",
        "en": "{n} unsaved drawings were kept and are back on the map, with their forms. "
        "You can edit or delete them with the map's tools.",
        "hu": "{n} nem mentett rajz megmaradt, és az űrlapjaikkal együtt újra a térképen van. "
        "A térkép eszközeivel módosíthatja vagy törölheti őket.",
    },
    "workshop.draft_elsewhere": {
        "ro": "Desene nesalvate în alte sesiuni: {sessions}. Sunt păstrate până alegeți din nou "
        "sesiunea respectivă și apăsați „Salvează”.",
        "en": "Unsaved drawings in other sessions: {sessions}. They are kept until you pick "
        "that session again and press “Save”.",
        "hu": "Nem mentett rajzok más alkalmakon: {sessions}. Megmaradnak, amíg újra ki nem "
        "választja azt az alkalmat, és meg nem nyomja a „Mentés” gombot.",
    },
}

register(STRINGS)
