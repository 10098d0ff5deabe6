"""Marks for views that the request-wide rules read (lotus.core.middleware). Its own
module, so the middleware and the views both import it and neither imports the other."""


def public(view):
    """Mark a view as reachable without signing in."""
    view.lotus_public = True
    return view
