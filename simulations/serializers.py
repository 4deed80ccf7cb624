"""What the API says about the catalogue: each simulation, its parameters, its plots."""

from __future__ import annotations

from rest_framework import serializers

from . import descriptions
from .declaration import SimulationDeclaration
from .engine.core import ParamSpec


class ChoiceSerializer(serializers.Serializer):
    value = serializers.CharField()
    label = serializers.CharField(help_text="In the request's language.")


class ParameterSerializer(serializers.Serializer):
    name = serializers.CharField(help_text="Query parameter name.")
    type = serializers.ChoiceField(choices=["int", "float", "bool", "choice"])
    label = serializers.CharField(help_text="In the request's language.")
    doc = serializers.CharField(help_text="What the parameter means, in the request's language.")
    default = serializers.JSONField()
    minimum = serializers.FloatField(allow_null=True)
    maximum = serializers.FloatField(allow_null=True)
    choices = ChoiceSerializer(many=True, allow_null=True)
    log_scale = serializers.BooleanField(help_text="Whether a slider should be logarithmic.")

    def to_representation(self, spec: ParamSpec) -> dict:
        simulation = self.context["simulation"]
        return {
            "name": spec.name,
            "type": spec.type,
            "label": simulation.param_label(spec),
            "doc": simulation.param_help(spec),
            "default": spec.default,
            "minimum": spec.minimum,
            "maximum": spec.maximum,
            "choices": None if spec.choices is None else [
                {"value": choice, "label": descriptions.choice_label(choice)}
                for choice in spec.choices
            ],
            "log_scale": spec.log_scale,
        }


class PlotKindSerializer(serializers.Serializer):
    name = serializers.CharField(help_text="Value of the plot endpoint's `kind` parameter.")
    label = serializers.CharField(help_text="In the request's language.")


class SimulationSerializer(serializers.Serializer):
    slug = serializers.SlugField()
    title = serializers.CharField(help_text="In the request's language.")
    description = serializers.CharField(help_text="In the request's language.")
    parameters = ParameterSerializer(many=True)
    plot_kinds = PlotKindSerializer(many=True, help_text="The first is the default.")

    def to_representation(self, simulation: SimulationDeclaration) -> dict:
        return {
            "slug": simulation.slug,
            "title": str(simulation.title),
            "description": str(simulation.description),
            "parameters": ParameterSerializer(simulation.specs(), many=True,
                                              context={"simulation": simulation}).data,
            "plot_kinds": [
                {"name": kind.name, "label": str(kind.label)}
                for kind in simulation.plot_kinds
            ],
        }

