"""The words the book's pages and notebooks show around a chapter's own text, in each language
the book speaks (``config.ini``'s ``lang``): one table, one key per idea.

:func:`strings` gives a language's table; a key missing from a language is a bug (a test checks
that every language has every key).
"""
from d2lmomentum.errors import InvalidArgumentError

#: The languages, the first the default (a chapter without ``config.ini``: the Korean momentum chapter).
LANGUAGES = ("ko", "en")

_STRINGS = {
    "ko": {
        "bibliography": "참고 문헌",
        "contents": "목차",
        "book_contents": "책 목차",
        "on_this_page": "이 절의 내용",
        "previous": "이전",
        "next": "다음",
        "cell": "셀 {index}",
        "figure_alt": "{framework}, 셀 {index}의 그림",
        "run_caption": "이 페이지를 만든 실행: 프레임워크마다 Jupyter 커널 하나",
        "run_columns": ("프레임워크", "셀", "성공", "그림", "초", "상태", "실행된 노트북", "보고서"),
        "code_view": "코드 보기",
        "framework": "프레임워크",
        "view_mode": "보기 방식",
        "tabs": "탭",
        "side_by_side": "나란히",
        "footer": "d2lmomentum · 수식: KaTeX · 코드 강조: Pygments",
        "solution": "풀이",
        "section_ref": "{number}절",
        "figure_ref": "그림 {number}",
        "table_ref": "표 {number}",
        "figure_caption": "그림 {number}",
        "table_caption": "표 {number}",
        "online": "온라인",
        "online_title": "d2l.ai의 절: 인터넷 연결이 필요합니다",
        "missing_image": "그림을 찾을 수 없습니다: {name}",
        "not_run": "실행되지 않음",
        "reused": "재사용: {when}에 실행한 결과",
        "unknown_ref": {"section": "이 책에 없는 절", "figure": "이 책에 없는 그림", "table": "이 책에 없는 표",
                        "equation": "이 책에 없는 식", "other": "이 책에 없는 부분"},
        "explorer_title": "대화형 모멘텀 탐색기",
        "explorer_caption": "대화형 탐색기: 학습률 η와 모멘텀 계수 β를 바꿔 가며 궤적을 직접 확인해 보세요.",
        "open_in_window": "새 창에서 열기",
        "explorer_note_link": "> [대화형 탐색기]({href})에서 학습률 $\\eta$와 모멘텀 계수 $\\beta$를 바꿔 가며 "
                              "궤적이 어떻게 달라지는지 직접 볼 수 있습니다.",
        "explorer_note_command": "> `d2lmomentum explore --out explorer`로 만드는 대화형 탐색기"
                                 "(`explorer/explorer.html`)에서 학습률 $\\eta$와 모멘텀 계수 $\\beta$를 바꿔 가며 "
                                 "궤적이 어떻게 달라지는지 직접 볼 수 있습니다.",
    },
    "en": {
        "bibliography": "References",
        "contents": "Contents",
        "book_contents": "Book contents",
        "on_this_page": "On this page",
        "previous": "Previous",
        "next": "Next",
        "cell": "cell {index}",
        "figure_alt": "{framework}, figure of cell {index}",
        "run_caption": "The run that made this page: one Jupyter kernel per framework",
        "run_columns": ("Framework", "Cells", "OK", "Figures", "Seconds", "Status", "Executed notebook", "Report"),
        "code_view": "Code view",
        "framework": "Framework",
        "view_mode": "View",
        "tabs": "Tabs",
        "side_by_side": "Side by side",
        "footer": "d2lmomentum · math: KaTeX · code highlighting: Pygments",
        "solution": "Solution",
        "section_ref": "Section {number}",
        "figure_ref": "Fig. {number}",
        "table_ref": "Table {number}",
        "figure_caption": "Fig. {number}",
        "table_caption": "Table {number}",
        "online": "online",
        "online_title": "a section on d2l.ai: needs an internet connection",
        "missing_image": "image not found: {name}",
        "not_run": "not run",
        "reused": "reused: ran {when}",
        "unknown_ref": {"section": "a section not in this book", "figure": "a figure not in this book",
                        "table": "a table not in this book", "equation": "an equation not in this book",
                        "other": "a part not in this book"},
        "explorer_title": "Interactive momentum explorer",
        "explorer_caption": "The interactive explorer: change the learning rate η and the momentum β and watch "
                            "the trajectory.",
        "open_in_window": "open in a new window",
        "explorer_note_link": "> In the [interactive explorer]({href}) you can change the learning rate $\\eta$ and "
                              "the momentum $\\beta$ and watch the trajectory change.",
        "explorer_note_command": "> In the interactive explorer (`d2lmomentum explore --out explorer` writes "
                                 "`explorer/explorer.html`) you can change the learning rate $\\eta$ and the "
                                 "momentum $\\beta$ and watch the trajectory change.",
    },
}


def strings(lang):
    """The table of ``lang`` (one of :data:`LANGUAGES`)."""
    try:
        return _STRINGS[lang]
    except KeyError:
        raise InvalidArgumentError(f"lang must be one of {', '.join(LANGUAGES)}, got {lang!r}") from None
