import SencoXML
