"""Template context shared by every page."""

from django.conf import settings
from django.urls import translate_url


def language_switch(request):
    """Offer each language's URL of the current page, so switching keeps the learner there.

    Each language is named in itself ("English", "Português"), as a reader of that
    language looks for it (see LANGUAGES in the settings).
    """
    return {
        "language_links": [
            {
                "code": code,
                "name": name,
                "url": translate_url(request.path, code),
            }
            for code, name in settings.LANGUAGES
        ]
    }
