"""How API lists are cut into pages: ``?page=`` numbers over an explicit, stable order."""

from rest_framework import pagination


class PageNumberPagination(pagination.PageNumberPagination):
    """Twenty items a page unless ``?page_size=`` asks for up to a hundred."""

    page_size = 20
    page_size_query_param = "page_size"
    max_page_size = 100
