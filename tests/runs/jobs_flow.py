from models.flow.config import FlowConfig
from models.flow.trainer import Reflow, flow_job

SMALL = FlowConfig(target="moons", pairing="ot", steps=60, batch=64, width=32, depth=2)
JOBS = {"flow": (flow_job(SMALL), flow_job(Reflow(SMALL)), 40)}
