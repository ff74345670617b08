let net = require('net')
let server = net.createServer()
//省略前半代码
server.on('connection', function(socket) {
  //socket是一个Duplex 可读可写
  socket.write('hello')
  //设置编码
  socket.setEncoding('utf8')
  // 可以通过流的方式接收到数据
  socket.on('data', function(data) {
    console.log(data)
  })
})
//省略后部分代码
server.listen(Number(process.argv[2] || 3000))
