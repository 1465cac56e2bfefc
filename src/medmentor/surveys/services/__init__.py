"""The surveys' writes: writing a survey (``authoring``), inviting people and reminding
them (``sending``), answering (``answering``)."""
