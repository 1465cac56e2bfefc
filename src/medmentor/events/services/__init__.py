"""The events' writes: writing an event (``authoring``), who takes part (``enrolment``,
``csv_enrolment``), the schedule (``schedule``), publishing it (``publishing``) and what
follows the event (``follow_up``)."""
