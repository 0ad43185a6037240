"""Server-rendered pages, each with a `.json` twin that returns the data its template gets.

htmx requests get only the part of a page they swap (a named block of the same template), so
every view works as a whole page without JavaScript and as a fragment with it.
"""

from __future__ import annotations

from fastapi import APIRouter, HTTPException, Request
from fastapi.responses import HTMLResponse, RedirectResponse
from sqlmodel import Session, select

from app import audit, queries
from app.models import Article, Sentence, Story
from app.views import reads
from app.views.articles import ArticlePage, SentencePage, article_page, sentence_page
from app.views.claims import ClaimPage, claim_page
from app.views.flags import QuotesPage, quotes_page
from app.views.outlets import OutletsPage, outlets_page
from app.views.stories import StoriesPage, parse_page, stories_page
from app.views.story import Filters, StoryPage, story_page
from app.web.auth import current_editor
from app.web.deps import HtmxDep, SessionDep, SettingsDep, site_base
from app.web.page_cache import cached_page
from app.web.templating import templates

router = APIRouter(include_in_schema=False)

#: Pages differ by this header (fragment or whole page), so caches must keep them apart.
VARY = {"Vary": "HX-Request"}


def _found(view, what: str, item_id: int | None):
    if view is None:
        raise HTTPException(status_code=404, detail=f"No {what} with id {item_id}.")
    return view


def _page(
    request: Request, name: str, view, *, block: str | None = None, status: int = 200, **extra
):
    return templates.TemplateResponse(
        request, name, {"view": view, **extra}, block_name=block, headers=VARY,
        status_code=status,
    )


def _missing(request: Request, what: str, message: str | None = None):
    return _page(request, "missing.html", {"what": what, "message": message}, status=404)


def parse_filters(q: str, outlet: str) -> Filters:
    """Query parameters as the search form sends them: an empty outlet means every outlet."""
    return Filters(q=q.strip()[:200], outlet=int(outlet) if outlet.isdigit() else None)


# --- Story and its claims ------------------------------------------------------------------


def _story(session: Session, story_id: int | None, q: str, outlet: str) -> StoryPage | None:
    return story_page(session, story_id, parse_filters(q, outlet))


@router.get("/", response_class=HTMLResponse)
def home(request: Request, session: SessionDep, htmx: HtmxDep, q: str = "", outlet: str = ""):
    def render():
        view = _story(session, None, q, outlet)
        return _page(request, "index.html", view, block="results" if htmx and view else None)

    return cached_page(request, reads.story_page_revision(session, None), render)


@router.get("/index.json", response_model=StoryPage)
def home_json(session: SessionDep, q: str = "", outlet: str = ""):
    return _found(_story(session, None, q, outlet), "story", None)


@router.get("/stories/{story_id:int}.json", response_model=StoryPage)
def story_json(story_id: int, session: SessionDep, q: str = "", outlet: str = ""):
    return _found(_story(session, story_id, q, outlet), "story", story_id)


@router.get("/stories/{story_id:int}", response_class=HTMLResponse)
def story(
    story_id: int, request: Request, session: SessionDep, htmx: HtmxDep,
    q: str = "", outlet: str = "",
):
    def render():
        view = _story(session, story_id, q, outlet)
        if view is None:
            return _missing(request, "story")
        return _page(request, "index.html", view, block="results" if htmx else None)

    return cached_page(request, reads.story_page_revision(session, story_id), render)


@router.get("/stories.json", response_model=StoriesPage)
def stories_json(session: SessionDep, settings: SettingsDep, q: str = "", page: str = ""):
    return stories_page(session, q, parse_page(page), settings.page_size)


@router.get("/stories", response_class=HTMLResponse)
def stories(
    request: Request, session: SessionDep, settings: SettingsDep, htmx: HtmxDep,
    q: str = "", page: str = "",
):
    view = stories_page(session, q, parse_page(page), settings.page_size)
    return _page(request, "stories.html", view, block="results" if htmx else None)


@router.get("/stories/{story_id:int}/quotes.json", response_model=QuotesPage)
def quotes_json(story_id: int, session: SessionDep):
    return _found(quotes_page(session, story_id), "story", story_id)


@router.get("/stories/{story_id:int}/quotes", response_class=HTMLResponse)
def quotes(story_id: int, request: Request, session: SessionDep):
    view = quotes_page(session, story_id)
    if view is None:
        return _missing(request, "story")
    return _page(request, "quotes.html", view)


# --- Claims ---------------------------------------------------------------------------------


@router.get("/claims/{claim_id:int}.json", response_model=ClaimPage)
def claim_json(claim_id: int, request: Request, session: SessionDep):
    return _found(claim_page(session, claim_id, site_base(request)), "claim", claim_id)


@router.get("/claims/{claim_id:int}", response_class=HTMLResponse)
def claim(claim_id: int, request: Request, session: SessionDep):
    def render():
        view = claim_page(session, claim_id, site_base(request))
        if view is None:
            return _missing(request, "claim")
        return _page(request, "claim.html", view)

    return cached_page(request, reads.revision_of(session, claim_id=claim_id), render)


# --- Articles and sentences -----------------------------------------------------------------


@router.get("/articles/{article_id:int}.json", response_model=ArticlePage)
def article_json(
    article_id: int, request: Request, session: SessionDep, sentence: int | None = None
):
    view = article_page(session, article_id, sentence, site_base(request))
    return _found(view, "article", article_id)


@router.get("/articles/{article_id:int}", response_class=HTMLResponse)
def article(
    article_id: int, request: Request, session: SessionDep, htmx: HtmxDep,
    sentence: int | None = None,
):
    return cached_page(
        request, reads.revision_of(session, article_id=article_id),
        lambda: render_article(request, session, article_id, sentence, htmx=htmx),
    )


def render_article(
    request: Request,
    session: Session,
    article_id: int,
    sentence: int | None = None,
    *,
    htmx: bool = False,
    error: str | None = None,
    status: int = 200,
):
    """The article page; also what a refused correction re-renders, with its message."""
    view = article_page(session, article_id, sentence, site_base(request))
    if view is None:
        return _missing(request, "article")
    story_claims = view.claim_choices
    if htmx and request.headers.get("HX-Target") == "panel":
        return _page(request, "article.html", view, block="panel", story_claims=story_claims)
    flags = ("uploaded", "duplicate", "edited")
    arrival = next((k for k in flags if k in request.query_params), None)
    return _page(
        request,
        "article.html",
        view,
        status=status,
        error=error,
        arrival=arrival,
        coverage=queries.coverage(session, article_id) if arrival else None,
        # only the editor's move form lists the stories
        stories=(
            session.exec(select(Story.id, Story.title).order_by(Story.id)).all()
            if current_editor(request) else []
        ),
        record=view.article,
        story_claims=story_claims,
        history=audit.history(session, article_id),
    )


@router.get("/articles/{article_id:int}/quote")
def quote(
    article_id: int, request: Request, session: SessionDep,
    exact: str = "", prefix: str = "", suffix: str = "", start: int | None = None,
):
    """A passage's address by its words (a W3C text-quote selector): opens the sentence that
    holds it now, even if the article was cut into sentences differently since."""
    article = session.get(Article, article_id)
    if article is None:
        return _missing(request, "article")
    found = queries.quoted_sentence(session, article, exact, prefix, suffix, near=start)
    if found is None:
        words = " ".join(exact.split())
        message = (
            f"\u201c{words[:200]}\u201d is not in the article of {article.label}. The link "
            "may be cut short or mistyped, or the quote may come from another article."
            if words else "The link gives no quoted text (exact=...) to look for."
        )
        return _missing(request, "quoted passage", message)
    return RedirectResponse(
        f"/articles/{article_id}?sentence={found.id}#s-{found.id}", status_code=303
    )


@router.get("/sentences/{sentence_id:int}.json", response_model=SentencePage)
def sentence_json(sentence_id: int, session: SessionDep):
    return _found(sentence_page(session, sentence_id), "sentence", sentence_id)


@router.get("/sentences/{sentence_id:int}")
def sentence(sentence_id: int, request: Request, session: SessionDep):
    """A sentence's permanent address: its article, opened at it with its comparison showing."""
    found = session.get(Sentence, sentence_id)
    if found is None:
        return _missing(request, "sentence")
    return RedirectResponse(
        f"/articles/{found.article_id}?sentence={sentence_id}#s-{sentence_id}", status_code=303
    )


# --- Outlets --------------------------------------------------------------------------------


@router.get("/outlets.json", response_model=OutletsPage)
def outlets_json(session: SessionDep, story: int | None = None):
    return _found(outlets_page(session, story), "story", story)


@router.get("/outlets", response_class=HTMLResponse)
def outlets(request: Request, session: SessionDep, story: int | None = None):
    def render():
        view = outlets_page(session, story)
        return _page(request, "outlets.html", view, status=200 if view or story is None else 404)

    # like the story page, it depends on its story and on the latest stories it switches to
    return cached_page(request, reads.story_page_revision(session, story), render)
