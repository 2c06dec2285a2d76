"""The copy of a new workspace (`mcplan init`) in each language mcplan has templates for: its
personas, first campaign and journey, the ids its team reads, and the README of its
`channel_rules/`."""

from __future__ import annotations

# The copy of a new workspace, in each language mcplan has templates for.
COPY: dict[str, dict[str, str]] = {
    "fr": {
        "b2c": "Clients particuliers", "b2b": "Clients professionnels",
        "b2c_about": "Nos clients particuliers, abonnés à la newsletter.",
        "b2b_about": "Les acheteurs des entreprises clientes.",
        "campaign": "Première campagne", "headline": "Découvrez la nouvelle collection",
        "body": "Des nouveautés choisies pour vous.", "cta": "Je découvre",
    },
    "en": {
        "b2c": "Consumers", "b2b": "Business customers",
        "b2c_about": "Our consumer customers who subscribed to the newsletter.",
        "b2b_about": "Buyers at our business customers.",
        "campaign": "First campaign", "headline": "Discover the new collection",
        "body": "New arrivals, picked for you.", "cta": "Discover it",
    },
    "nl": {
        "b2c": "Particuliere klanten", "b2b": "Zakelijke klanten",
        "b2c_about": "Onze particuliere klanten die zich op de nieuwsbrief hebben ingeschreven.",
        "b2b_about": "De inkopers van onze zakelijke klanten.",
        "campaign": "Eerste campagne", "headline": "Ontdek de nieuwe collectie",
        "body": "Nieuwigheden, speciaal voor u gekozen.", "cta": "Ontdek het",
    },
    "de": {
        "b2c": "Privatkunden", "b2b": "Geschäftskunden",
        "b2c_about": "Unsere Privatkunden, die den Newsletter abonniert haben.",
        "b2b_about": "Die Einkäufer unserer Geschäftskunden.",
        "campaign": "Erste Kampagne", "headline": "Entdecken Sie die neue Kollektion",
        "body": "Neuheiten, für Sie ausgewählt.", "cta": "Jetzt entdecken",
    },
    "es": {
        "b2c": "Clientes particulares", "b2b": "Clientes profesionales",
        "b2c_about": "Nuestros clientes particulares suscritos a la newsletter.",
        "b2b_about": "Los compradores de nuestras empresas clientes.",
        "campaign": "Primera campaña", "headline": "Descubre la nueva colección",
        "body": "Novedades elegidas para ti.", "cta": "Descúbrela",
    },
    "it": {
        "b2c": "Clienti privati", "b2b": "Clienti aziendali",
        "b2c_about": "I nostri clienti privati iscritti alla newsletter.",
        "b2b_about": "Gli acquirenti delle aziende clienti.",
        "campaign": "Prima campagna", "headline": "Scopri la nuova collezione",
        "body": "Novità scelte per te.", "cta": "Scoprila",
    },
}  # fmt: skip
# The ids (and file names) of a new workspace's personas and campaign, in its language:
# an Italian team reads `clienti-privati`, not `consumers`.
IDS: dict[str, dict[str, str]] = {
    "fr": {"b2c": "particuliers", "b2b": "professionnels", "campaign": "premiere-campagne"},
    "en": {"b2c": "consumers", "b2b": "professionals", "campaign": "first-campaign"},
    "nl": {"b2c": "particulieren", "b2b": "zakelijke-klanten", "campaign": "eerste-campagne"},
    "de": {"b2c": "privatkunden", "b2b": "geschaeftskunden", "campaign": "erste-kampagne"},
    "es": {"b2c": "particulares", "b2b": "profesionales", "campaign": "primera-campana"},
    "it": {"b2c": "clienti-privati", "b2b": "clienti-aziendali", "campaign": "prima-campagna"},
}
# A new workspace's journey: a welcome series, with its id and its steps' ids.
JOURNEY: dict[str, dict[str, str]] = {
    "fr": {
        "id": "bienvenue", "hello": "bonjour", "reminder": "relance",
        "name": "Série de bienvenue", "headline": "Bienvenue parmi nous",
        "body": "Merci de votre inscription. Découvrez nos nouveautés.",
        "again": "Avez-vous vu nos nouveautés ?", "cta": "Je découvre",
    },
    "en": {
        "id": "welcome", "hello": "hello", "reminder": "reminder",
        "name": "Welcome series", "headline": "Welcome aboard",
        "body": "Thank you for signing up. Discover our new arrivals.",
        "again": "Have you seen our new arrivals?", "cta": "See what's new",
    },
    "nl": {
        "id": "welkom", "hello": "hallo", "reminder": "herinnering",
        "name": "Welkomstreeks", "headline": "Welkom bij ons",
        "body": "Bedankt voor uw inschrijving. Ontdek onze nieuwigheden.",
        "again": "Hebt u onze nieuwigheden al gezien?", "cta": "Bekijk de nieuwigheden",
    },
    "de": {
        "id": "willkommen", "hello": "hallo", "reminder": "erinnerung",
        "name": "Willkommensserie", "headline": "Willkommen bei uns",
        "body": "Danke für Ihre Anmeldung. Entdecken Sie unsere Neuheiten.",
        "again": "Haben Sie unsere Neuheiten schon gesehen?", "cta": "Neuheiten entdecken",
    },
    "es": {
        "id": "bienvenida", "hello": "hola", "reminder": "recordatorio",
        "name": "Serie de bienvenida", "headline": "Te damos la bienvenida",
        "body": "Gracias por suscribirte. Descubre nuestras novedades.",
        "again": "¿Has visto nuestras novedades?", "cta": "Ver las novedades",
    },
    "it": {
        "id": "benvenuto", "hello": "ciao", "reminder": "promemoria",
        "name": "Serie di benvenuto", "headline": "Ti diamo il benvenuto",
        "body": "Grazie per l'iscrizione. Scopri le nostre novità.",
        "again": "Hai visto le nostre novità?", "cta": "Scopri le novità",
    },
}  # fmt: skip


def _readme(title: str, text: str) -> str:
    """The README of `channel_rules/`: its words in the workspace's language, its example in
    YAML."""
    return (
        f"# {title}\n\n{text}\n\n"
        "```yaml\n# channel_rules/sms.yaml\nextends: sms\ncost_per_contact: 0.045\n```\n"
    )


# What `channel_rules/` is for, in each language (wrapped at 92 columns).
RULES_README = {
    "fr": _readme(
        "Règles des canaux",
        "mcplan fournit les règles de ses canaux (`mcplan channels` les liste). Pour en modifier\n"
        "un, ajoutez ici un fichier à son nom ; avec `extends`, seules les clés écrites changent :",
    ),
    "en": _readme(
        "Channel rules",
        "mcplan ships rules for its channels (`mcplan channels` lists them). To change one, add a\n"
        "file here named after it; with `extends`, only the keys you write change:",
    ),
    "nl": _readme(
        "Kanaalregels",
        "mcplan levert regels voor zijn kanalen (`mcplan channels` toont ze). Om er een te\n"
        "wijzigen, voeg hier een bestand met zijn naam toe; met `extends` veranderen alleen de\n"
        "sleutels die u schrijft:",
    ),
    "de": _readme(
        "Kanalregeln",
        "mcplan bringt Regeln für seine Kanäle mit (`mcplan channels` listet sie). Um einen zu\n"
        "ändern, legen Sie hier eine Datei mit seinem Namen an; mit `extends` ändern sich nur die\n"
        "Schlüssel, die Sie schreiben:",
    ),
    "es": _readme(
        "Reglas de los canales",
        "mcplan incluye reglas para sus canales (`mcplan channels` las lista). Para cambiar uno,\n"
        "añade aquí un archivo con su nombre; con `extends`, solo cambian las claves que escribes:",
    ),
    "it": _readme(
        "Regole dei canali",
        "mcplan include le regole dei suoi canali (`mcplan channels` le elenca). Per modificarne\n"
        "uno, aggiungi qui un file con il suo nome; con `extends` cambiano solo le chiavi che\n"
        "scrivi:",
    ),
}
