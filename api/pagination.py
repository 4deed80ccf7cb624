"""How API lists are cut into pages: ``?page=`` numbers over an explicit, stable order."""

from rest_framework import pagination

from .query import integer_query_param


class PageNumberPagination(pagination.PageNumberPagination):
    """Twenty items a page unless ``?page_size=`` asks for 1 to 100.

    A ``?page_size=`` that is not such a number is a 400 problem, as the schema's bounds
    say, not silently twenty (DRF's way); a ``?page=`` past the end, or not a page
    number, is DRF's 404.
    """

    page_size = 20
    page_size_query_param = "page_size"
    max_page_size = 100

    def get_page_size(self, request):
        return integer_query_param(request, self.page_size_query_param, minimum=1,
                                   maximum=self.max_page_size, default=self.page_size)

    def get_schema_operation_parameters(self, view):
        parameters = super().get_schema_operation_parameters(view)
        bounds = {self.page_query_param: {"minimum": 1},
                  self.page_size_query_param: {"minimum": 1, "maximum": self.max_page_size}}
        for parameter in parameters:
            parameter["schema"].update(bounds.get(parameter["name"], {}))
        return parameters
