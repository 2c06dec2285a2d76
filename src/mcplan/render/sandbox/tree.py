"""A template's syntax tree, checked before it is compiled and rewritten for the sandbox.

What a template may not do is refused here, at its line: macros, includes, imports,
inheritance, blocks, an attribute that starts with ``_``, the power operator, recursive
loops, more than :data:`MAX_LOOPS` loops or loops nested deeper than :data:`MAX_LOOP_DEPTH`.
What Jinja does itself, out of reach of the sandbox's hooks (a loop's items, literals, ``~``,
``{{ }}``), is rewritten to go through the filters that bound it (see `values`).
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from typing import Any

from jinja2 import meta, nodes
from jinja2.visitor import NodeTransformer

MAX_LOOPS = 20
MAX_LOOP_DEPTH = 2

# What a template may not do, as the message names it: "... is not allowed in channel templates".
_FORBIDDEN = {
    nodes.Macro: "a macro",
    nodes.CallBlock: "a call block",
    nodes.Include: "{% include %}",
    nodes.Import: "{% import %}",
    nodes.FromImport: "{% from ... import %}",
    nodes.Extends: "{% extends %}",
    nodes.Block: "a {% block %}",
    nodes.Pow: "the power operator (**)",
}


class TemplateRejected(Exception):
    """A template that the static checks refuse, with the template line at fault."""

    def __init__(self, message: str, lineno: int) -> None:
        super().__init__(message)
        self.lineno = lineno


def check(tree: nodes.Template) -> None:
    """Refuse what a template may not do (see the module docstring), at its line."""
    loops = list(tree.find_all(nodes.For))
    if len(loops) > MAX_LOOPS:
        raise TemplateRejected(f"a template may have at most {MAX_LOOPS} loops", loops[0].lineno)
    for node in _walk(tree):
        for kind, what in _FORBIDDEN.items():
            if isinstance(node, kind):
                raise TemplateRejected(f"{what} is not allowed in channel templates", node.lineno)
        name = getattr(node, "attr", None) if isinstance(node, nodes.Getattr) else None
        if isinstance(node, nodes.Getitem) and isinstance(node.arg, nodes.Const):
            name = node.arg.value if isinstance(node.arg.value, str) else None
        if name and name.startswith("_"):
            raise TemplateRejected(f"attribute '{name}' is not allowed", node.lineno)
        if isinstance(node, nodes.For):
            if node.recursive:
                raise TemplateRejected("recursive loops are not allowed", node.lineno)
            if _loop_depth(node) > MAX_LOOP_DEPTH:
                raise TemplateRejected(f"loops may nest at most {MAX_LOOP_DEPTH} deep", node.lineno)


def _walk(node: nodes.Node) -> Iterator[nodes.Node]:
    yield node
    for child in node.iter_child_nodes():
        yield from _walk(child)


def _loop_depth(loop: nodes.For) -> int:
    inner: Iterable[nodes.For] = loop.find_all(nodes.For)
    return 1 + max((_loop_depth(child) for child in inner if child is not loop), default=0)


class _Introspection(meta.TrackingCodeGenerator):
    """Jinja's way of finding the variables a template reads, without its optimizer."""

    def __init__(self, environment: Any) -> None:
        super().__init__(environment)
        self.optimizer = None


def undeclared(tree: nodes.Template) -> frozenset[str]:
    """The variables ``tree`` reads from its context (:func:`jinja2.meta.find_undeclared_variables`
    folds constants at every level of a nested expression: cubic in its depth)."""
    introspection = _Introspection(tree.environment)
    introspection.visit(tree)
    return frozenset(introspection.undeclared_identifiers)


def bounded_tree(tree: nodes.Template) -> nodes.Template:
    """``tree`` rewritten so that the sandbox sees what Jinja does itself: every loop's items
    bounded, every literal and ``~`` measured, everything printed checked."""
    for loop in tree.find_all(nodes.For):
        loop.iter = nodes.Filter(loop.iter, "_bounded", [], [], None, None, lineno=loop.lineno)
    tree = _BoundedLiterals().visit(tree)
    tree = _BoundedConcat().visit(tree)
    printed: nodes.Template = _Printed().visit(tree)
    return printed


class _BoundedLiterals(NodeTransformer):
    """``[a, a]``, ``(a, a)`` and ``{'k': a}`` become ``[a, a]|_built``: measured with what
    they hold (Jinja builds literals itself, out of reach of the sandbox's hooks)."""

    def _built(self, node: nodes.Expr) -> nodes.Node:
        self.generic_visit(node)
        return nodes.Filter(node, "_built", [], [], None, None, lineno=node.lineno)

    def visit_List(self, node: nodes.List) -> nodes.Node:
        return self._built(node)

    def visit_Dict(self, node: nodes.Dict) -> nodes.Node:
        return self._built(node)

    def visit_Tuple(self, node: nodes.Tuple) -> nodes.Node:
        if node.ctx != "load":  # the names of {% for a, b in … %} or {% set a, b = … %}
            self.generic_visit(node)
            return node
        return self._built(node)


class _BoundedConcat(NodeTransformer):
    """``a ~ b`` becomes ``[a, b]|_concat``, which refuses a result over the limit before it
    is made (Jinja joins concatenations itself, out of reach of the sandbox's hooks)."""

    def visit_Concat(self, node: nodes.Concat) -> nodes.Node:
        self.generic_visit(node)
        items = nodes.List(node.nodes, lineno=node.lineno)
        return nodes.Filter(items, "_concat", [], [], None, None, lineno=node.lineno)


class _Printed(NodeTransformer):
    """``{{ value }}`` becomes ``{{ value|_printed }}``: what is printed is checked (see
    :func:`values.printed`)."""

    def visit_Output(self, node: nodes.Output) -> nodes.Node:
        self.generic_visit(node)
        node.nodes = [
            child
            if isinstance(child, nodes.TemplateData)
            else nodes.Filter(child, "_printed", [], [], None, None, lineno=child.lineno)
            for child in node.nodes
        ]
        return node
