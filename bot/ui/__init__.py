"""What a person sees: rendered content, keyboards and the buttons' data, with no rules.

Handlers and the scheduled-delivery sender both draw from here, so neither imports the
other: a lesson looks the same whether ``/lesson`` or the schedule sent it.
"""
