"""The pair's workspace: agreement, goals, meetings, messages, notes, check-ins, closure."""
