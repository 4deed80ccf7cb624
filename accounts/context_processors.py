"""Where the log-in and sign-up links of every page send the learner back to."""

# On these pages the learner is already on the way somewhere: their links keep that place.
ACCOUNT_PAGES = {"login", "signup", "password_reset", "password_reset_done",
                 "password_reset_confirm", "password_reset_complete"}


def return_to(request):
    """Return ``return_to``: the page (with its query, e.g. a lab configuration) to come
    back to after logging in or signing up, or the place the account page already carries."""
    match = getattr(request, "resolver_match", None)
    if match is not None and match.url_name in ACCOUNT_PAGES:
        return {"return_to": request.GET.get("next", "")}
    return {"return_to": request.get_full_path()}
